package io.pgmigrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final String address;

    private TestPgbouncer(Path dir, int port, String address) {
        this.dir = dir;
        this.port = port;
        this.address = address;
    }

    public static TestPgbouncer inFrontOf(PgCluster pg) {
        return inFrontOf("127.0.0.1", pg.port(), null);
    }

    /**
     * pgbouncer on this machine in front of the server at {@code host:port} (a test host's, say), listening on
     * 127.0.0.1 and on {@code alsoListenOn} when given (the address the test hosts reach this machine at: pgmigrate
     * talks to pgbouncer's admin console from the database host).
     */
    public static TestPgbouncer inFrontOf(String host, int serverPort, String alsoListenOn) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "pgm-bouncer-");
            int port = PgCluster.freePort();
            Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n\"pgbouncer\" \"\"\n");
            Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                    "[databases]",
                    "* = host=" + host + " port=" + serverPort,
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1" + (alsoListenOn == null ? "" : "," + alsoListenOn),
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
            TestPgbouncer b = new TestPgbouncer(dir, port, alsoListenOn == null ? "127.0.0.1" : alsoListenOn);
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

    /**
     * Writes {@code dir/point-pgbouncer}, an executable switch command for the inventory: {@code point-pgbouncer SIDE
     * HOST PORT} points every database of this pgbouncer at HOST:PORT, then RELOADs it.
     */
    public Path switchScript(Path scriptDir) {
        Path script = scriptDir.resolve("point-pgbouncer");
        try {
            Files.writeString(script, "#!/bin/sh\n"
                    + "# point-pgbouncer SIDE HOST PORT: every database of pgbouncer to HOST:PORT, then RELOAD\n"
                    + "set -e\n"
                    + "sed -i \"s|^\\* = host=.*|* = host=$2 port=$3|\" " + dir.resolve("pgbouncer.ini") + "\n"
                    + Toolchain.binDir(18).resolve("psql") + " --no-psqlrc -q -h 127.0.0.1 -p " + port
                    + " -U pgbouncer -d pgbouncer -c RELOAD\n");
            Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The inventory's cutover section for this pgbouncer, at the address the database host reaches it. */
    public String inventoryYaml() {
        return "cutover:\n  pgbouncer: { host: " + address + ", port: " + port + ", adminUser: pgbouncer }\n";
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
