package io.pgmigrate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, for a network path that drops while a statement is under way: it
 * forwards both ways until, once armed, it sees given bytes from a client (a statement's text); from then on that
 * connection is a black hole: both sockets stay open and nothing more is forwarded either way, as when a firewall
 * starts dropping the packets of an established connection. Other connections, old and new, go on as before. A
 * connection is closed on both sides once either side closes it.
 */
public final class BlackHoleProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger blackHoled = new AtomicInteger();
    private volatile byte[] trigger;

    private BlackHoleProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
        Thread accept = new Thread(this::accept, "black-hole-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** A proxy on a free port of 127.0.0.1 to 127.0.0.1:targetPort. */
    public static BlackHoleProxy to(int targetPort) {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return new BlackHoleProxy(s, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on, a connection whose client sends these bytes (ASCII) becomes a black hole. */
    public void blackHoleOn(String bytes) {
        trigger = bytes.getBytes(StandardCharsets.US_ASCII);
    }

    /** How many connections became black holes. */
    public int blackHoled() {
        return blackHoled.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getByName("127.0.0.1"), targetPort);
                sockets.add(client);
                sockets.add(server);
                Connection c = new Connection(client, server);
                start(() -> c.pump(client, server, true), "black-hole-proxy-up");
                start(() -> c.pump(server, client, false), "black-hole-proxy-down");
            } catch (IOException e) {
                // closed, or the server refused: the client sees its connection end
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** One client's connection and the proxy's own to the server. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        private volatile boolean hole;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** Copies from → to until either ends; bytes from the client are searched for the trigger first. */
        void pump(Socket from, Socket to, boolean fromClient) {
            byte[] buf = new byte[8192];
            String seen = "";
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    byte[] t = trigger;
                    if (fromClient && t != null && !hole) {
                        // the trigger may straddle two reads: keep its length less one of what came before
                        String now = seen + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                        if (now.contains(new String(t, StandardCharsets.ISO_8859_1))) {
                            hole = true;
                            blackHoled.incrementAndGet();
                        }
                        seen = now.substring(Math.max(0, now.length() - (t.length - 1)));
                    }
                    if (!hole) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away: so does the other
            } finally {
                closeQuietly(client);
                closeQuietly(server);
            }
        }
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(this::closeQuietly);
    }
}
