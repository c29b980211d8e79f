package io.pgmigrate.transport;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;

import java.time.Duration;

/**
 * An SSH local port-forward for SQL sessions ({@code tunnel: true}): 127.0.0.1 on a free local port
 * leads to pg.host:pg.port as seen from the SSH host, like {@code ssh -L 127.0.0.1:0:pghost:pgport}.
 * Only this machine can use the local end. When the SSH connection was lost, or found broken (a frozen
 * peer: see {@link SshConnection#markBroken}), and re-opened, the forward is made again on the next
 * {@link #localPort()} (on the same local port when it is free). Before it hands out a forward made earlier,
 * {@link #localPort()} checks that the host still answers on its connection, so that a new SQL session never goes
 * into a frozen one.
 */
public final class SshTunnel implements AutoCloseable {
    /** The local end listens on loopback only. */
    public static final String LOCAL_HOST = "127.0.0.1";

    private final SshConnection connection;
    private final String remoteHost;
    private final int remotePort;
    private int localPort;
    private int generation = -1;
    /** The session the forward is on: it is removed there, never on a connection made since. */
    private Session forwarded;
    private boolean closed;

    private SshTunnel(SshConnection connection, String remoteHost, int remotePort) {
        this.connection = connection;
        this.remoteHost = remoteHost;
        this.remotePort = remotePort;
    }

    /** Connects (if needed) and forwards a free local port to remoteHost:remotePort as the SSH host sees it. */
    public static SshTunnel open(SshConnection connection, String remoteHost, int remotePort) {
        SshTunnel t = new SshTunnel(connection, remoteHost, remotePort);
        t.localPort();
        return t;
    }

    /**
     * The local port to connect to; re-creates the forward if the SSH connection was re-opened, or connects anew
     * first when the host no longer answers on it.
     */
    public synchronized int localPort() {
        if (closed) {
            throw new IllegalStateException("tunnel " + describe() + " is closed");
        }
        SshConnection.Live live = connection.live();
        if (live.generation() == generation
                && !connection.answers(live.session(), Duration.ofMillis(connection.channelOpenMillis()))) {
            live = connection.live(); // marked broken by answers(): a new connection
        }
        if (live.generation() != generation) {
            localPort = forward(live.session(), localPort);
            forwarded = live.session();
            generation = live.generation();
        }
        return localPort;
    }

    /** A forward whose channels must open within the channel limit too (else a frozen peer holds a client 20 s). */
    private int forward(Session session, int preferred) {
        try {
            return session.setPortForwardingL(LOCAL_HOST, preferred, remoteHost, remotePort, null,
                    connection.channelOpenMillis());
        } catch (JSchException e) {
            if (preferred != 0) {
                return forward(session, 0);
            }
            throw new TransportException("cannot open an SSH tunnel to " + remoteHost + ":" + remotePort + " via "
                    + connection.describe() + ": " + SshConnection.oneLine(e)
                    + " (check that sshd there allows TCP forwarding: AllowTcpForwarding)", e);
        }
    }

    public String localHost() {
        return LOCAL_HOST;
    }

    public String remoteHost() {
        return remoteHost;
    }

    public int remotePort() {
        return remotePort;
    }

    /** "127.0.0.1:L -> pghost:pgport via user@host:port", for messages. */
    public synchronized String describe() {
        String local = localPort == 0 ? LOCAL_HOST : LOCAL_HOST + ":" + localPort;
        return local + " -> " + remoteHost + ":" + remotePort + " via " + connection.describe();
    }

    /** Stops forwarding (sessions through it end); the SSH connection itself stays open. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (forwarded != null && forwarded.isConnected()) {
            try {
                forwarded.delPortForwardingL(LOCAL_HOST, localPort);
            } catch (JSchException e) {
                // the connection went away, and the forward with it
            }
        }
    }
}
