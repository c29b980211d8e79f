package io.pgmigrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real pgbouncer in front of a {@link PgCluster}, transaction pooling, trust authentication on loopback,
 * admin user {@code pgbouncer}; run as the postgres OS user, stopped and removed on close.
 */
public final class TestPgbouncer implements AutoCloseable {
    private final Path dir;
    private final int port;

    private TestPgbouncer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static TestPgbouncer inFrontOf(PgCluster pg) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "pgm-bouncer-");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n\"pgbouncer\" \"\"\n");
            Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                    "[databases]",
                    "* = host=127.0.0.1 port=" + pg.port(),
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir = " + dir,
                    "auth_type = trust",
                    "auth_file = " + dir.resolve("userlist.txt"),
                    "admin_users = pgbouncer",
                    "pool_mode = transaction",
                    "ignore_startup_parameters = extra_float_digits,options",
                    "logfile = " + dir.resolve("pgbouncer.log"),
                    "pidfile = " + dir.resolve("pgbouncer.pid"),
                    ""));
            OsUser.chownToOwner(dir);
            OsUser.runAsOwner(List.of(Toolchain.pgbouncer().toString(), "-d", dir.resolve("pgbouncer.ini").toString()),
                    false);
            TestPgbouncer b = new TestPgbouncer(dir, port);
            b.awaitListening();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("pgbouncer did not start: " + log());
    }

    public int port() {
        return port;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** The inventory's cutover section for this pgbouncer. */
    public String inventoryYaml() {
        return "cutover:\n  pgbouncer: { host: 127.0.0.1, port: " + port + ", adminUser: pgbouncer }\n";
    }

    @Override
    public void close() {
        try {
            String pid = Files.readString(dir.resolve("pgbouncer.pid")).strip();
            OsUser.run(List.of("kill", pid), true);
            Thread.sleep(300);
        } catch (IOException | InterruptedException ignored) {
            // already gone
        }
        PgCluster.deleteTree(dir);
    }
}
