package io.pgmigrate.testing;

import io.pgmigrate.inventory.Inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real OpenSSH server on 127.0.0.1 for integration tests: its own ed25519 host key, an ed25519 and
 * an RSA client key (both authorized for every user), a known_hosts file naming the host key, all in
 * a temp directory. One instance per JVM, started on first use and stopped at JVM exit.
 *
 * <pre>{@code
 * TestSshd sshd = TestSshd.shared();                       // skips the test unless run as root
 * Inventory.Host host = sshd.host("postgres", null);       // SSH to postgres@127.0.0.1:port
 * Inventory.Host asRoot = sshd.host("root", "postgres");   // SSH as root, commands via sudo -u postgres
 * try (HostShell sh = Transports.shell(host, TransportOptions.defaults())) { ... }
 * }</pre>
 *
 * sshd must run as root to log in other users, so the tests that need it are skipped (JUnit
 * assumption) when the JVM is not root. It uses PAM for account checks (not for authentication):
 * Debian's postgres account has a locked password ("!"), which sshd with {@code UsePAM no} treats as
 * a locked account even for key logins.
 */
public final class TestSshd {
    private static TestSshd shared;

    private final Path dir;
    private final Process process;
    private final int port;

    private TestSshd(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** The JVM's test sshd, started on first call; skips the calling test when not running as root. */
    public static synchronized TestSshd shared() {
        assumeTrue(OsUser.isRoot(), "SSH integration tests need root (sshd must log in as other users): skipped");
        assumeTrue(Files.isExecutable(Toolchain.sshd()), "no sshd at " + Toolchain.sshd() + ": skipped");
        if (shared == null) {
            shared = start();
            TestSshd s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "test-sshd-stop"));
        }
        return shared;
    }

    private static TestSshd start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "pgm-sshd-");
            run(List.of("chmod", "755", dir.toString()));
            keygen(dir.resolve("host_ed25519"), "ed25519");
            keygen(dir.resolve("client_ed25519"), "ed25519");
            keygen(dir.resolve("client_rsa"), "rsa");
            Path authorized = dir.resolve("authorized_keys");
            Files.writeString(authorized, Files.readString(dir.resolve("client_ed25519.pub"))
                    + Files.readString(dir.resolve("client_rsa.pub")));
            run(List.of("chmod", "644", authorized.toString()));
            Files.createDirectories(Path.of("/run/sshd"));
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = PgCluster.freePort();
                try {
                    TestSshd sshd = launch(dir, port);
                    sshd.writeKnownHosts();
                    return sshd;
                } catch (IllegalStateException e) {
                    last = e; // the port was taken meanwhile: try another
                }
            }
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestSshd launch(Path dir, int port) throws IOException {
        Path config = dir.resolve("sshd_config");
        boolean pam = Files.exists(Path.of("/etc/pam.d/sshd"));
        Files.writeString(config, String.join("\n",
                "ListenAddress 127.0.0.1",
                "Port " + port,
                "HostKey " + dir.resolve("host_ed25519"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM " + (pam ? "yes" : "no"),
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "AllowTcpForwarding yes",
                "MaxSessions 20",
                "MaxStartups 50",
                "PrintMotd no",
                "PidFile " + dir.resolve("sshd.pid"),
                "") );
        Path log = dir.resolve("sshd-" + port + ".log");
        Process p = new ProcessBuilder(Toolchain.sshd().toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestSshd sshd = new TestSshd(dir, p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("test sshd on port " + port + " exited: " + Files.readString(log));
            }
            if (accepts(port)) {
                return sshd;
            }
            sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("test sshd did not listen on 127.0.0.1:" + port + " within 15s: " + Files.readString(log));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void writeKnownHosts() throws IOException {
        Files.writeString(knownHosts(), knownHostsName() + " " + hostKeyLine() + "\n");
    }

    private static void keygen(Path file, String type) {
        run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "pgmigrate-test-" + file.getFileName(),
                "-f", file.toString()));
    }

    private static OsUser.Result run(List<String> argv) {
        return OsUser.run(argv, false);
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port on 127.0.0.1 where nothing listens (for connection-refused tests). */
    public static int closedPort() {
        return PgCluster.freePort();
    }

    public int port() {
        return port;
    }

    /** Private ed25519 key authorized for every user. */
    public Path clientKey() {
        return dir.resolve("client_ed25519");
    }

    /** Private RSA key authorized for every user. */
    public Path rsaClientKey() {
        return dir.resolve("client_rsa");
    }

    /** known_hosts with exactly this server's host key, as {@code [127.0.0.1]:PORT ssh-ed25519 AAAA…}. */
    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** How known_hosts names this server: {@code [127.0.0.1]:PORT}. */
    public String knownHostsName() {
        return "[127.0.0.1]:" + port;
    }

    /** The host key as "ssh-ed25519 AAAA…" (type and base64, no comment). */
    public String hostKeyLine() {
        try {
            String[] f = Files.readString(dir.resolve("host_ed25519.pub")).strip().split("\\s+");
            return f[0] + " " + f[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host key's fingerprint as ssh-keygen prints it ({@code SHA256:…}). */
    public String hostKeyFingerprint() {
        String out = run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host_ed25519.pub").toString())).output();
        return out.strip().split("\\s+")[1];
    }

    /** The server's log so far (sshd -e), for failing tests. */
    public String log() {
        try {
            return Files.readString(dir.resolve("sshd-" + port + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** An inventory host for SSH to user@127.0.0.1 on this server with the ed25519 key; become may be null. */
    public Inventory.Host host(String user, String become) {
        return host(user, become, clientKey(), knownHosts());
    }

    /** The same with another identity or known_hosts file. */
    public Inventory.Host host(String user, String become, Path identity, Path knownHosts) {
        return new Inventory.Host("127.0.0.1", new Inventory.Ssh(user, port, identity, knownHosts), become);
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
        PgCluster.deleteTree(dir);
    }
}
