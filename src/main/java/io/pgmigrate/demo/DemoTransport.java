package io.pgmigrate.demo;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.TransportException;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the demo reaches "its" database host: over SSH to 127.0.0.1, as a real upgrade would, when that
 * works without asking anything (an sshd listening, a key or ssh-agent, the host key already in
 * known_hosts or {@code --accept-new-host-key} given); otherwise {@code host: local}, saying why.
 *
 * @param host the inventory's source host
 * @param note one line for the user: which transport and why
 */
public record DemoTransport(Inventory.Host host, String note) {
    public static final String LOOPBACK = "127.0.0.1";

    /**
     * Where to try SSH: the port on 127.0.0.1, the identity (null: ~/.ssh's default keys or ssh-agent) and
     * known_hosts (null: ~/.ssh/known_hosts).
     */
    public record SshTarget(int port, Path identity, Path knownHosts) {
        public static SshTarget defaults() {
            return new SshTarget(22, null, null);
        }
    }

    /** Tries SSH to the target (a TCP connect first, then a real login running {@code true}), else local. */
    public static DemoTransport choose(SshTarget target, String become, TransportOptions options) {
        Inventory.Host local = new Inventory.Host(Inventory.Host.LOCAL, null, become);
        if (!listening(target.port())) {
            return new DemoTransport(local, "no sshd for the demo: using the local transport (nothing listens on "
                    + LOOPBACK + ":" + target.port() + ")");
        }
        Inventory.Host ssh = new Inventory.Host(LOOPBACK, new Inventory.Ssh(System.getProperty("user.name"),
                target.port(), target.identity(), target.knownHosts()), become);
        try (HostShell shell = Transports.shell(ssh, options)) {
            CommandResult r = shell.run(List.of("true"), Duration.ofSeconds(30));
            if (!r.ok()) {
                return new DemoTransport(local, "SSH to " + shell.describe() + " cannot run programs"
                        + (become == null ? "" : " as " + become) + " (" + r.lastErrorLine()
                        + "): the demo uses the local transport");
            }
            return new DemoTransport(ssh, "SSH to " + shell.describe() + " works: the demo runs every command over SSH,"
                    + " as an upgrade of a remote host would");
        } catch (TransportException e) {
            return new DemoTransport(local, "no usable SSH to " + LOOPBACK + " for the demo: using the local transport ("
                    + e.getMessage() + ")");
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
