package io.pgmigrate.testing;

import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster of a given major version for integration tests: initdb into a temp
 * directory, started on a free port on 127.0.0.1, run as the postgres OS user, deleted on close.
 * Trust authentication on loopback; connect as the {@code postgres} role.
 */
public final class PgCluster implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    /** Clusters not closed yet: a JVM that ends early (a failed @BeforeAll, Ctrl-C) still stops and removes them. */
    private static final java.util.Set<PgCluster> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(PgCluster::close), "pg-cluster-cleanup"));
    }

    private final int major;
    private final Path root;
    private final Path dataDir;
    private final Path binDir;
    private int port;
    private boolean running;

    private PgCluster(int major, Path root, Path binDir, int port) {
        this.major = major;
        this.root = root;
        this.dataDir = root.resolve("data");
        this.binDir = binDir;
        this.port = port;
    }

    /** Options for initdb. */
    public record Init(boolean dataChecksums, List<String> extraArgs) {
        public static Init defaults() {
            return new Init(false, List.of());
        }

        public static Init withChecksums() {
            return new Init(true, List.of());
        }
    }

    public static PgCluster start(int major) {
        return start(major, Init.defaults());
    }

    /** initdb and start. Data checksums as asked (explicitly on or off, whatever the version's default). */
    public static PgCluster start(int major, Init init) {
        PgCluster c = create(major, init);
        c.startServer();
        return c;
    }

    /** initdb only (not started). */
    public static PgCluster create(int major, Init init) {
        try {
            Path root = Files.createTempDirectory(Path.of("/tmp"), "pgm-" + major + "-");
            OsUser.chownToOwner(root);
            if (OsUser.isRoot()) {
                OsUser.run(List.of("chmod", "755", root.toString()), false);
            }
            PgCluster c = new PgCluster(major, root, Toolchain.binDir(major), freePort());
            OPEN.add(c);
            c.initdb(init);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void initdb(Init init) {
        List<String> argv = new ArrayList<>(List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(),
                "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
        if (init.dataChecksums()) {
            argv.add("--data-checksums");
        } else if (major >= 18) {
            argv.add("--no-data-checksums");
        }
        argv.addAll(init.extraArgs());
        OsUser.runAsOwner(argv, false);
        appendConfig(List.of(
                "port = " + port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + root + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "autovacuum = off",
                "max_prepared_transactions = 10",
                "shared_buffers = 32MB",
                "logging_collector = off"));
    }

    /** Appends lines to postgresql.conf (as the cluster owner). */
    public void appendConfig(List<String> lines) {
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), String.join("\n", lines) + "\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A TCP port nothing listens on right now (for test servers). With the integration tests in several JVMs, each
     * takes only the ports of its own residue (fork number modulo forks), so that two JVMs never both hand out a port
     * one of them is about to start a server on.
     */
    public static int freePort() {
        int forks = Integer.getInteger("pgmigrate.forks", 1);
        int fork = Integer.getInteger("pgmigrate.fork", 1);
        for (int i = 0; i < 1000; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (forks <= 1 || s.getLocalPort() % forks == fork % forks) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port of fork " + fork + " of " + forks);
    }

    public void startServer() {
        OsUser.runAsOwner(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-l", root.resolve("server.log").toString(), "-w", "-t", "60", "start"), false);
        running = true;
    }

    /**
     * Starts the server with options on pg_ctl's command line ({@code pg_ctl -o OPTIONS}), which win over
     * postgresql.conf: {@code -p PORT} makes it serve on another port than the file says. The cluster's port is then
     * the one given.
     */
    public void startServer(int port, String options) {
        this.port = port;
        OsUser.runAsOwner(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-l", root.resolve("server.log").toString(), "-o", "-p " + port + " " + options, "-w", "-t", "60",
                "start"), false);
        running = true;
    }

    public void stopServer() {
        if (running) {
            OsUser.runAsOwner(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-m", "fast", "-w", "-t", "60", "stop"), true);
            running = false;
        }
    }

    public SqlSession connect(String database) {
        return JdbcSqlSession.open("127.0.0.1", port, SUPERUSER, database, "disable");
    }

    /** Runs SQL statements in a database (one session, autocommit). */
    public void sql(String database, String... statements) {
        try (SqlSession s = connect(database)) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    public void createDatabase(String name) {
        sql("postgres", "CREATE DATABASE " + io.pgmigrate.pg.SqlIdentifiers.quote(name));
    }

    public int major() {
        return major;
    }

    public int port() {
        return port;
    }

    /**
     * After an upgrade and its cleanup, a fresh cluster of this version at the same paths and port, as if it had just
     * been installed there again: the new cluster in {@code data18} is stopped and both data directories removed.
     */
    public void reinitialise() {
        stopUpgraded();
        running = false;
        deleteTree(root.resolve("data18"));
        deleteTree(dataDir);
        initdb(Init.defaults());
        startServer();
    }

    /** Stops, immediately, a PostgreSQL 18 server some test started at {@code dataDir} (a green), if it runs. */
    public static void stopServerAt(Path dataDir) {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            OsUser.runAsOwner(List.of(Toolchain.binDir(18).resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-m", "immediate", "-w", "stop"), true);
        }
    }

    /** After an upgrade test, the new cluster runs from {@code data18} beside the old data: stop it. */
    public void stopUpgraded() {
        OsUser.runAsOwner(java.util.List.of(Toolchain.binDir(18).resolve("pg_ctl").toString(), "-D",
                root().resolve("data18").toString(), "-m", "fast", "-w", "stop"), true);
    }

    public Path root() {
        return root;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path binDir() {
        return binDir;
    }

    public Path socketDir() {
        return root;
    }

    public String serverLog() {
        try {
            return Files.readString(root.resolve("server.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        OPEN.remove(this);
        stopServer();
        deleteTree(root);
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
