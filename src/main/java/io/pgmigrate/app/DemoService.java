package io.pgmigrate.app;

import io.pgmigrate.journal.Journal;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.demo.DemoCluster;
import io.pgmigrate.demo.DemoDir;
import io.pgmigrate.demo.DemoInventory;
import io.pgmigrate.demo.DemoToolchain;
import io.pgmigrate.demo.DemoTransport;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code pgmigrate demo}: a complete upgrade of a throw-away cluster. Removes the previous demo, creates a
 * PostgreSQL 15 cluster with data in the demo directory, chooses SSH to 127.0.0.1 or the local transport,
 * writes an inventory, then runs plan, execute and status in-process exactly as their verbs do. Progress
 * goes to {@code out} as it happens; the outcome (what happened, where everything is, how to connect and
 * how to remove it) comes back as lines.
 */
public final class DemoService {
    public static final Path DEFAULT_DIR = Path.of("/tmp/pgmigrate-demo");
    static final int MAX_SCALE = 1000;

    private final Clock clock;
    private final Map<String, String> env;

    /** @param env the environment (PGMIGRATE_CACHE, PGMIGRATE_PG15_BIN, PGMIGRATE_PG18_BIN) */
    public DemoService(Clock clock, Map<String, String> env) {
        this.clock = clock;
        this.env = env;
    }

    /**
     * @param mode  pg_upgrade's transfer mode, as the inventory writes it (swap, link, clone, copy)
     * @param scale pgbench's scale (100,000 accounts each); the demo's own tables grow with it
     * @param ssh   where to try SSH (port 22 of 127.0.0.1 with ~/.ssh's keys unless a test says otherwise)
     */
    public record Request(Path dir, String mode, int scale, TransportOptions transport, DemoTransport.SshTarget ssh) {
    }

    public record Outcome(ExitCode exitCode, List<String> lines) {
    }

    public Outcome run(Request request, PrintWriter out) {
        DemoDir dir = DemoDir.of(request.dir());
        Inventory.UpgradeMode mode = mode(request.mode());
        if (request.scale() < 1 || request.scale() > MAX_SCALE) {
            throw PgMigrateException.badInput("--scale must be between 1 and " + MAX_SCALE + ", got " + request.scale());
        }
        if (!dir.isDemo() && !dir.isAbsentOrEmpty()) {
            throw PgMigrateException.badInput(dir.root() + " exists and is not a demo directory (it has no "
                    + dir.marker().getFileName() + "); choose another --dir");
        }
        DemoToolchain toolchain = DemoToolchain.locate(env);
        String owner = DemoCluster.owner();
        if (dir.isDemo()) {
            progress(out, "removing the previous demo in " + dir.root());
            removeDemo(dir, toolchain, request.transport());
        }
        int port = DemoCluster.freePort();
        try {
            return upgrade(dir, toolchain, owner, port, mode, request, out);
        } catch (PgMigrateException e) {
            throw new PgMigrateException(e.exitCode(), e.getMessage() + " [the demo stays in " + dir.root()
                    + ": " + stopCommand(dir) + " removes it]", e);
        }
    }

    /** The PostgreSQL 15 cluster with its data; returns the row counts of {@link DemoCluster#COUNTED}. */
    private static Map<String, Long> createCluster(DemoDir dir, DemoToolchain toolchain, String owner,
                                                   Inventory.PgEndpoint pg, Request request, PrintWriter out) {
        Inventory.Host local = new Inventory.Host(Inventory.Host.LOCAL, null, owner);
        try (ClusterAccess access = Transports.clusterAccess(local, pg, false, request.transport())) {
            progress(out, "a PostgreSQL 15 cluster in " + dir.data() + " on port " + pg.port()
                    + (owner == null ? "" : ", run by the " + owner + " OS user"));
            DemoCluster cluster = new DemoCluster(dir, toolchain, access.shell());
            cluster.create(pg.port());
            progress(out, "database " + DemoCluster.DATABASE + ": pgbench -i -s " + request.scale()
                    + ", customers and orders (enum, citext, jsonb, inet, uuid, arrays), indexes, a sequence, a view");
            Map<String, Long> rows = cluster.load(pg.port(), request.scale(), access::connect);
            out.println("   rows: " + counts(rows));
            return rows;
        }
    }

    private Outcome upgrade(DemoDir dir, DemoToolchain toolchain, String owner, int port, Inventory.UpgradeMode mode,
                            Request request, PrintWriter out) {
        Inventory.PgEndpoint pg = new Inventory.PgEndpoint("127.0.0.1", port, "postgres", "postgres", "disable");
        Map<String, Long> before = createCluster(dir, toolchain, owner, pg, request, out);
        DemoTransport transport = DemoTransport.choose(request.ssh(), owner, request.transport());
        progress(out, transport.note());
        PlanFiles.writeAtomically(dir.inventory(), DemoInventory.yaml(dir, toolchain, transport.host(), port,
                DemoCluster.freePort(), mode));
        progress(out, "inventory: " + dir.inventory());

        progress(out, "pgmigrate plan -i " + dir.inventory() + " -o " + dir.plans());
        PlanService.Outcome planned = new PlanService(clock).plan(
                new PlanService.Request(dir.inventory(), dir.plans(), request.transport(), true));
        Plan plan = planned.plan();
        List<String> lines = new ArrayList<>();
        plan.findings().forEach(f -> out.printf("   %-7s %s [%s]%n", f.severity(), f.title(), f.check()));
        out.println("   " + (plan.ready() ? "READY" : "BLOCKED") + ", " + findings(plan.findings())
                + "; estimated write outage " + PlanMarkdown.human(plan.estimates().outage()));
        out.println("   the plan to review: " + planned.files().markdown());
        if (!plan.ready()) {
            lines.add("The plan lists blockers, so the demo stops before execute: " + planned.files().markdown());
            lines.add("Remove the demo: " + stopCommand(dir));
            return new Outcome(planned.exitCode(), lines);
        }

        progress(out, "pgmigrate execute -i " + dir.inventory() + " " + planned.files().json()
                + " (PostgreSQL 15 -> 18, --" + mode.key() + ")");
        out.flush();
        ExecuteService.Outcome executed = new ExecuteService(clock).execute(
                new ExecuteService.Request(planned.files().json(), dir.inventory(), false, request.transport()), out);
        StatusService.Report status = StatusService.report(planned.files().json());

        lines.add("");
        lines.add("Outcome:  " + executed.summary());
        lines.add("Outage:   " + (status.outage() == null ? "none measured (the execution did not reach the outage)"
                : "measured write outage " + precise(status.outage()) + " (planned "
                + PlanMarkdown.human(plan.estimates().outage()) + ")"));
        if (executed.exitCode() == ExitCode.SUCCESS) {
            lines.add("Now:      " + serving(pg, request.transport(), before));
        }
        lines.add("Plan:     " + planned.files().markdown());
        ExecutionFiles files = ExecutionFiles.beside(planned.files().json(), plan.name());
        if (java.nio.file.Files.exists(files.reportMarkdown())) {
            lines.add("Report:   " + files.reportMarkdown() + "  (the verification: row counts, statistics, schema)");
        }
        lines.add("Journal:  " + files.journal() + "  (pgmigrate status " + planned.files().json() + ")");
        lines.add("Connect:  " + toolchain.pg18Bin().resolve("psql") + " -h 127.0.0.1 -p " + port + " -U postgres "
                + DemoCluster.DATABASE);
        lines.add("Remove:   " + stopCommand(dir));
        return new Outcome(executed.exitCode(), lines);
    }

    /** {@code pgmigrate demo --stop}: stops the demo's servers and removes its directory. */
    public Outcome stop(Path given, TransportOptions options) {
        DemoDir dir = DemoDir.of(given);
        if (!Files.exists(dir.root())) {
            return new Outcome(ExitCode.SUCCESS, List.of("no demo in " + dir.root() + ": nothing to remove"));
        }
        if (!dir.isDemo()) {
            throw PgMigrateException.badInput(dir.root() + " is not a demo directory (it has no "
                    + dir.marker().getFileName() + "), so demo --stop leaves it alone; give the --dir the demo was made in");
        }
        List<String> stopped = removeDemo(dir, DemoToolchain.locate(env), options);
        List<String> lines = new ArrayList<>();
        stopped.forEach(d -> lines.add("stopped the server of " + d));
        lines.add("removed the demo in " + dir.root());
        return new Outcome(ExitCode.SUCCESS, lines);
    }

    private static List<String> removeDemo(DemoDir dir, DemoToolchain toolchain, TransportOptions options) {
        try (var shell = Transports.shell(new Inventory.Host(Inventory.Host.LOCAL, null, DemoCluster.owner()), options)) {
            return new DemoCluster(dir, toolchain, shell).remove();
        }
    }

    /** The server's version and the row counts now, against those before the upgrade. */
    private static String serving(Inventory.PgEndpoint pg, TransportOptions options, Map<String, Long> before) {
        try (ClusterAccess access = Transports.clusterAccess(new Inventory.Host(Inventory.Host.LOCAL, null, null), pg,
                false, options); SqlSession s = access.connect(DemoCluster.DATABASE)) {
            String version = s.query("SHOW server_version").get(0).get("server_version");
            Map<String, Long> after = DemoCluster.rowCounts(s);
            return "PostgreSQL " + version + " on port " + pg.port() + ", rows " + counts(after)
                    + (after.equals(before) ? " (as before)" : " (BEFORE: " + counts(before) + ")");
        }
    }

    static Inventory.UpgradeMode mode(String key) {
        return Arrays.stream(Inventory.UpgradeMode.values()).filter(m -> m.key().equals(key)).findFirst()
                .orElseThrow(() -> PgMigrateException.badInput("--mode must be one of "
                        + Arrays.stream(Inventory.UpgradeMode.values()).map(Inventory.UpgradeMode::key)
                        .collect(Collectors.joining(", ")) + ", got '" + key + "'"));
    }

    /** Seconds with a tenth below a minute (a demo's outage is short), else as the plan writes durations. */
    static String precise(Duration d) {
        return d.compareTo(Duration.ofMinutes(1)) < 0
                ? String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0) : PlanMarkdown.human(d);
    }

    static String findings(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "no findings";
        }
        return Arrays.stream(Severity.values())
                .map(s -> Map.entry(s, findings.stream().filter(f -> f.severity() == s).count()))
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT) + (e.getValue() > 1 && e.getKey() != Severity.INFO ? "s" : ""))
                .collect(Collectors.joining(", "));
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String stopCommand(DemoDir dir) {
        return "pgmigrate demo --stop" + (dir.root().equals(DEFAULT_DIR) ? "" : " --dir " + dir.root());
    }

    private static void progress(PrintWriter out, String line) {
        out.println("== " + line);
        out.flush();
    }
}
