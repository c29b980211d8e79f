package io.pgmigrate.demo;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.SqlSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The demo's throw-away PostgreSQL 15 cluster: made with initdb in the demo directory, started on a
 * port of 127.0.0.1, filled by pgbench and {@code demo/data.sql}; and removed again, whichever of the old
 * and the upgraded cluster is running. Programs run through a {@link HostShell} on this machine, as the
 * postgres OS user when pgmigrate runs as root (PostgreSQL refuses to run as root).
 */
public final class DemoCluster {
    public static final String DATABASE = "shop";
    /** The tables whose rows the demo counts before and after the upgrade. */
    public static final List<String> COUNTED = List.of("pgbench_accounts", "customers", "orders");
    private static final Duration QUICK = Duration.ofMinutes(2);

    private final DemoDir dir;
    private final DemoToolchain toolchain;
    private final HostShell shell;

    /** @param shell runs programs on this machine as the cluster's owner */
    public DemoCluster(DemoDir dir, DemoToolchain toolchain, HostShell shell) {
        this.dir = dir;
        this.toolchain = toolchain;
        this.shell = shell;
    }

    /** The OS user the demo's servers run as: postgres when we are root, else ourselves (null: no become). */
    public static String owner() {
        return "root".equals(System.getProperty("user.name")) ? "postgres" : null;
    }

    /** A TCP port on 127.0.0.1 that nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the directory with its marker, runs initdb and starts the server on the port. */
    public void create(int port) {
        try {
            Files.createDirectories(dir.root());
            Files.writeString(dir.marker(), "pgmigrate demo: pgmigrate demo --stop removes this directory\n");
            Files.setPosixFilePermissions(dir.root(), PosixFilePermissions.fromString("rwxr-xr-x"));
            String owner = owner();
            if (owner != null) {
                Files.setOwner(dir.root(), dir.root().getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(owner));
            }
        } catch (IOException e) {
            throw PgMigrateException.badInput("cannot create the demo directory " + dir.root() + ": " + e.getMessage()
                    + "; choose another with --dir");
        }
        run("create the cluster", List.of(bin15("initdb"), "-D", dir.data().toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), QUICK);
        try {
            Files.writeString(dir.data().resolve("postgresql.conf"), String.join("\n",
                    "# pgmigrate demo",
                    "port = " + port,
                    "listen_addresses = '127.0.0.1'",
                    "unix_socket_directories = '" + dir.root() + "'",
                    "shared_buffers = 128MB",
                    "") , StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("start the cluster", List.of(bin15("pg_ctl"), "-D", dir.data().toString(), "-l",
                dir.serverLog().toString(), "-w", "-t", "60", "start"), QUICK);
    }

    /**
     * Creates the database {@value #DATABASE} with pgbench's tables at the scale (100,000 accounts per
     * unit) and the demo's own, and returns the row counts of {@link #COUNTED}.
     */
    public Map<String, Long> load(int port, int scale, Function<String, SqlSession> connect) {
        try (SqlSession s = connect.apply("postgres")) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        run("load pgbench's tables", List.of(bin15("pgbench"), "-i", "-q", "-s", String.valueOf(scale),
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", DATABASE), Duration.ofMinutes(5 + scale));
        try (SqlSession s = connect.apply(DATABASE)) {
            s.query("SELECT set_config('pgmigrate.demo_scale', ?, false)", String.valueOf(scale));
            s.execute(dataSql());
            return rowCounts(s);
        }
    }

    /** The row counts of {@link #COUNTED}, in that order. */
    public static Map<String, Long> rowCounts(SqlSession s) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : COUNTED) {
            counts.put(table, s.query("SELECT count(*) AS n FROM " + table).get(0).getLong("n"));
        }
        return counts;
    }

    static String dataSql() {
        try (InputStream in = DemoCluster.class.getResourceAsStream("/io/pgmigrate/demo/data.sql")) {
            if (in == null) {
                throw new IllegalStateException("resource /io/pgmigrate/demo/data.sql missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops whatever server runs from the demo's data directories (the old one, or the new one after the
     * upgrade) and deletes the directory. Returns what it stopped.
     */
    public List<String> remove() {
        List<String> stopped = new ArrayList<>();
        for (Path data : List.of(dir.data18(), dir.data())) {
            if (!Files.exists(data.resolve("postmaster.pid"))) {
                continue;
            }
            String pgCtl = binFor(data).resolve("pg_ctl").toString();
            if (shell.run(List.of(pgCtl, "status", "-D", data.toString()), QUICK).exitCode() != 0) {
                continue; // a stale postmaster.pid: no server runs
            }
            run("stop the server of " + data, List.of(pgCtl, "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"), QUICK);
            stopped.add(data.toString());
        }
        deleteTree(dir.root());
        return stopped;
    }

    /** The binaries of the version a data directory was made by (PG_VERSION). */
    private Path binFor(Path data) {
        try {
            return Files.readString(data.resolve("PG_VERSION")).strip().equals("15") ? toolchain.pg15Bin() : toolchain.pg18Bin();
        } catch (IOException e) {
            return toolchain.pg18Bin();
        }
    }

    private String bin15(String program) {
        return toolchain.pg15Bin().resolve(program).toString();
    }

    private void run(String what, List<String> argv, Duration timeout) {
        CommandResult r = shell.run(argv, timeout);
        if (!r.ok()) {
            String hint = r.lastErrorLine().contains("Permission denied") && owner() != null
                    ? " (the servers run as " + owner() + ", who must be able to reach " + dir.root() + ": choose a --dir under /tmp)"
                    : " (server logs are under " + dir.root() + ")";
            throw new PgMigrateException(ExitCode.STEP_FAILED, "the demo could not " + what + ": "
                    + Path.of(argv.get(0)).getFileName() + " exited with " + r.exitCode() + ": " + r.lastErrorLine() + hint);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.STEP_FAILED, "the demo's servers are stopped but " + root
                    + " could not be removed: " + e.getMessage() + "; remove it by hand");
        }
    }
}
