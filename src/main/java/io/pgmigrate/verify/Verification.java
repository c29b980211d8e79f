package io.pgmigrate.verify;

import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Action;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.inventory.Inventory.SmokeQuery;
import io.pgmigrate.transport.SqlSession;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The verification of brief §7, as two functions: {@link #measure} a cluster (the baseline of the old one,
 * the same on the new one), and {@link #compare} two such snapshots into the checks of a report.
 */
public final class Verification {
    /** Fast mode counts tables below this size exactly and takes the planner's estimate above it. */
    public static final long FAST_EXACT_BELOW_BYTES = 1L << 30;

    /**
     * What to measure, from the inventory's {@code options.verify} and {@code jobs}.
     *
     * @param amcheck   the btree indexes on collations whose version changed checked with amcheck ({@link IndexAmcheck}),
     *                  with the data part; never for a baseline (the new cluster is what is checked)
     * @param keyRanges fingerprints also per key range ({@link KeyBuckets}): for a baseline only, which is all
     *                  that is left of the old cluster (it costs CPU, and the new cluster is measured over the
     *                  baseline's ranges later, for the tables that differ)
     */
    public record Settings(RowCountMode rowCounts, boolean statistics, boolean fingerprints, int jobs,
                           List<SmokeQuery> smokeQueries, boolean keyRanges, boolean amcheck) {
        public Settings(RowCountMode rowCounts, boolean statistics, boolean fingerprints, int jobs,
                        List<SmokeQuery> smokeQueries) {
            this(rowCounts, statistics, fingerprints, jobs, smokeQueries, false, false);
        }

        /** What the reviewed plan's verify step says (row counts, statistics), with the inventory's jobs and smoke queries. */
        public static Settings of(Action.Verify step, Inventory inv) {
            RowCountMode mode = java.util.Arrays.stream(RowCountMode.values())
                    .filter(m -> m.key().equals(step.rowCounts())).findFirst().orElse(RowCountMode.EXACT);
            return new Settings(mode, step.statistics(), step.fingerprints(), inv.options().jobs(), inv.smokeQueries(),
                    step.fingerprints() && step.stage() == Action.Verify.Stage.BASELINE,
                    inv.options().verify().amcheck() && step.stage() != Action.Verify.Stage.BASELINE);
        }
    }

    /** The databases whose tables are measured: every one that accepts connections, templates aside. */
    public static List<String> databases(List<DatabaseFacts> databases) {
        return databases.stream().filter(d -> d.allowConnections() && !d.template()).map(DatabaseFacts::name).toList();
    }

    private final Settings settings;
    private final Clock clock;

    public Verification(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The same verification without amcheck: for the old side of a live comparison. */
    public Verification withoutAmcheck() {
        Settings s = settings;
        return new Verification(new Settings(s.rowCounts(), s.statistics(), s.fingerprints(), s.jobs(),
                s.smokeQueries(), s.keyRanges(), false), clock);
    }

    /**
     * Measures the given parts of the cluster; the parts not asked for are null in the snapshot. The row
     * counts run over their own connections while the catalogs (statistics, schema) are read.
     */
    public ClusterSnapshot measure(List<String> databases, Function<String, SqlSession> connect,
                                   Consumer<String> progress, Set<Action.Verify.Scope> parts) {
        java.time.Instant at = clock.instant();
        boolean data = parts.contains(Action.Verify.Scope.DATA);
        boolean catalog = parts.contains(Action.Verify.Scope.CATALOG);
        CompletableFuture<List<RowCounter.RowCount>> counts = !data ? CompletableFuture.completedFuture(null)
                : settings.rowCounts() == RowCountMode.OFF ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.supplyAsync(() -> new RowCounter(connect, new RowCounter.Options(settings.jobs(),
                        settings.rowCounts() == RowCountMode.FAST ? FAST_EXACT_BELOW_BYTES : null), progress)
                        .count(databases), daemon());
        Catalogs read = readCatalogs(databases, connect, data, catalog);
        if (catalog) {
            progress.accept("schema of " + databases.size() + " database(s): "
                    + read.schemas.stream().mapToInt(x -> x.objects().size()).sum() + " objects");
        }
        List<RowCounter.RowCount> counted = join(counts);
        List<TableFingerprint> fingerprints = !data ? null : read.selfTest == null ? List.of()
                : FingerprintRun.run(read.hashTargets, connect, settings.jobs(), Fingerprinter.DEFAULT_SLICE_PAGES,
                        settings.keyRanges());
        if (read.selfTest != null) {
            progress.accept("fingerprinted " + fingerprints.size() + " tables");
        }
        List<SmokeQueries.SmokeResult> smoke = data ? SmokeQueries.run(settings.smokeQueries(), connect) : null;
        List<IndexAmcheck.Outcome> amcheck = data && settings.amcheck() ? IndexAmcheck.run(databases, connect) : null;
        if (amcheck != null) {
            progress.accept("amcheck: " + amcheck.stream().filter(o -> o.status() != IndexAmcheck.Status.NO_AMCHECK)
                    .count() + " index(es) on collations whose version changed");
        }
        long millis = java.time.Duration.between(at, clock.instant()).toMillis();
        return new ClusterSnapshot(at, millis, read.version, counted, data ? List.copyOf(read.stats) : null, smoke,
                catalog ? List.copyOf(read.schemas) : null, fingerprints, read.selfTest, amcheck);
    }

    /** What is read database by database over one connection each: version, statistics, schema, hash targets. */
    private static final class Catalogs {
        String version;
        final List<PlannerStatistics> stats = new ArrayList<>();
        final List<SchemaInventory> schemas = new ArrayList<>();
        final List<HashTarget> hashTargets = new ArrayList<>();
        HashSelfTest.Result selfTest;
    }

    private Catalogs readCatalogs(List<String> databases, Function<String, SqlSession> connect, boolean data,
                                  boolean catalog) {
        Catalogs c = new Catalogs();
        boolean hash = data && settings.fingerprints();
        for (String db : databases) {
            try (SqlSession s = connect.apply(db)) {
                if (c.version == null) {
                    c.version = s.query("SHOW server_version").get(0).get("server_version");
                }
                if (hash) {
                    c.hashTargets.addAll(HashTargets.list(s));
                    if (c.selfTest == null) {
                        c.selfTest = HashSelfTest.run(Fingerprinter.on(s));
                    }
                }
                if (data && settings.statistics()) {
                    c.stats.add(PlannerStatistics.read(s));
                }
                if (catalog) {
                    c.schemas.add(SchemaInventory.capture(s));
                }
            }
        }
        return c;
    }

    private static java.util.concurrent.Executor daemon() {
        return r -> {
            Thread t = new Thread(r, "pgmigrate-verify");
            t.setDaemon(true);
            t.start();
        };
    }

    /** The future's value; a runtime exception it ended with is thrown as it was. */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The report of a plan's verification: the two snapshots compared, tied to the plan by its digest. */
    public VerificationReport report(String plan, String planDigest, ClusterSnapshot before, ClusterSnapshot after,
                                     String outage) {
        return new VerificationReport(plan, planDigest, after.takenAt(), before.serverVersion(), after.serverVersion(),
                before.takenAt(), before.millis(), after.millis(), outage, compare(before, after));
    }

    public List<CheckResult> compare(ClusterSnapshot before, ClusterSnapshot after) {
        List<CheckResult> checks = new ArrayList<>();
        boolean data = before.rowCounts() != null && after.rowCounts() != null;
        String later = "the data is compared in step post.verify";
        if (settings.rowCounts() == RowCountMode.OFF) {
            checks.add(CheckResult.skipped("row counts", "off in the inventory (options.verify.rowCounts)"));
        } else {
            checks.addAll(data ? RowCountCheck.compare(before.rowCounts(), after.rowCounts())
                    : List.of(CheckResult.pending("row counts", later)));
        }
        if (!settings.statistics()) {
            checks.add(CheckResult.skipped("planner statistics", "off in the inventory (options.verify.statistics)"));
        } else {
            checks.add(data ? StatisticsCheck.compare(before.statistics(), after.statistics())
                    : CheckResult.pending("planner statistics", later));
        }
        if (settings.fingerprints()) {
            checks.add(data ? FingerprintsCheck.compare(before.fingerprints(), after.fingerprints(),
                    before.hashSelfTest(), after.hashSelfTest()) : CheckResult.pending("data fingerprints", later));
        }
        checks.add(before.schemas() != null && after.schemas() != null
                ? SchemaCheck.compare(before.schemas(), after.schemas())
                : CheckResult.pending("schema", "compared once clients are back (step post.verify-schema)"));
        checks.add(data ? SmokeQueryCheck.compare(settings.smokeQueries(), before.smokeQueries(), after.smokeQueries())
                : CheckResult.pending("smoke queries", later));
        if (settings.amcheck()) {
            checks.add(after.amcheck() != null ? IndexAmcheck.result(after.amcheck())
                    : CheckResult.pending(IndexAmcheck.CHECK, later));
        }
        return List.copyOf(checks);
    }
}
