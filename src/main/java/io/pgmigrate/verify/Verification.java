package io.pgmigrate.verify;

import io.pgmigrate.inspect.SourceFacts.DatabaseFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Action;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.inventory.Inventory.SmokeQuery;
import io.pgmigrate.transport.SqlSession;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The verification of brief §7, as two functions: {@link #measure} a cluster (the baseline of the old one,
 * the same on the new one), and {@link #compare} two such snapshots into the checks of a report.
 */
public final class Verification {
    /** Fast mode counts tables below this size exactly and takes the planner's estimate above it. */
    public static final long FAST_EXACT_BELOW_BYTES = 1L << 30;

    /** What to measure, from the inventory's {@code options.verify} and {@code jobs}. */
    public record Settings(RowCountMode rowCounts, boolean statistics, boolean fingerprints, int jobs,
                           List<SmokeQuery> smokeQueries) {
        /** What the reviewed plan's verify step says (row counts, statistics), with the inventory's jobs and smoke queries. */
        public static Settings of(Action.Verify step, Inventory inv) {
            RowCountMode mode = java.util.Arrays.stream(RowCountMode.values())
                    .filter(m -> m.key().equals(step.rowCounts())).findFirst().orElse(RowCountMode.EXACT);
            return new Settings(mode, step.statistics(), step.fingerprints(), inv.options().jobs(), inv.smokeQueries());
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

    /** Measures the given parts of the cluster; the parts not asked for are null in the snapshot. */
    public ClusterSnapshot measure(List<String> databases, Function<String, SqlSession> connect,
                                   Consumer<String> progress, Set<Action.Verify.Scope> parts) {
        java.time.Instant at = clock.instant();
        String version;
        try (SqlSession s = connect.apply(databases.get(0))) {
            version = s.query("SHOW server_version").get(0).get("server_version");
        }
        boolean data = parts.contains(Action.Verify.Scope.DATA);
        boolean catalog = parts.contains(Action.Verify.Scope.CATALOG);
        List<RowCounter.RowCount> counts = !data ? null : settings.rowCounts() == RowCountMode.OFF ? List.of()
                : new RowCounter(connect, new RowCounter.Options(settings.jobs(),
                        settings.rowCounts() == RowCountMode.FAST ? FAST_EXACT_BELOW_BYTES : null), progress)
                .count(databases);
        List<PlannerStatistics> stats = new ArrayList<>();
        List<SchemaInventory> schemas = new ArrayList<>();
        List<HashTarget> hashTargets = new ArrayList<>();
        HashSelfTest.Result selfTest = null;
        boolean hash = data && settings.fingerprints();
        for (String db : databases) {
            try (SqlSession s = connect.apply(db)) {
                if (hash) {
                    hashTargets.addAll(HashTargets.list(s));
                    if (selfTest == null) {
                        selfTest = HashSelfTest.run(Fingerprinter.on(s));
                    }
                }
                if (data && settings.statistics()) {
                    stats.add(PlannerStatistics.read(s));
                }
                if (catalog) {
                    schemas.add(SchemaInventory.capture(s));
                }
            }
        }
        if (catalog) {
            progress.accept("schema of " + databases.size() + " database(s): "
                    + schemas.stream().mapToInt(x -> x.objects().size()).sum() + " objects");
        }
        List<TableFingerprint> fingerprints = !data ? null : !hash ? List.of()
                : FingerprintRun.run(hashTargets, connect, settings.jobs(), Fingerprinter.DEFAULT_SLICE_PAGES);
        if (hash) {
            progress.accept("fingerprinted " + fingerprints.size() + " tables");
        }
        long millis = java.time.Duration.between(at, clock.instant()).toMillis();
        return new ClusterSnapshot(at, millis, version, counts, data ? List.copyOf(stats) : null,
                data ? SmokeQueries.run(settings.smokeQueries(), connect) : null,
                catalog ? List.copyOf(schemas) : null, fingerprints, selfTest);
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
        String later = "the data is compared while clients wait (step post.verify)";
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
        return List.copyOf(checks);
    }
}
