package io.pgmigrate.verify;

import io.pgmigrate.plan.Action;
import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Two clusters running at once (blue and green of a logical migration), measured alike and compared as
 * a baseline and the new cluster would be; data fingerprint differences are narrowed down to rows by
 * key on both ({@link LiveNarrowing}), and databases missing on the target fail a check of their own.
 */
public final class LiveVerification {
    /** The databases whose tables are measured: every one that accepts connections, templates aside. */
    public static final String DATABASES = "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn"
            + " AND NOT datistemplate ORDER BY datname COLLATE \"C\"";

    private LiveVerification() {
    }

    /** The databases listed by {@link #DATABASES} on one session. */
    public static List<String> databases(SqlSession maintenance) {
        return maintenance.query(DATABASES).stream().map(r -> r.get("datname")).toList();
    }

    /**
     * The report of two live clusters: {@code name} is the inventory's, no plan digest (none is involved).
     *
     * @param source the old cluster's snapshot, over {@code sourceDatabases}
     * @param target the new cluster's, over the source's databases that exist on it
     */
    /**
     * Measures both running clusters at the same time (the target in the databases both have), leaves
     * pgmigrate's own publications out (a migration underway has them on one side by design), and reports.
     */
    public static VerificationReport measureAndReport(Verification verification, String name,
                                                      List<String> sourceDatabases, Function<String, SqlSession> source,
                                                      Consumer<String> sourceProgress, List<String> targetDatabases,
                                                      Function<String, SqlSession> target, Consumer<String> targetProgress,
                                                      Set<Action.Verify.Scope> parts) {
        List<String> both = sourceDatabases.stream().filter(targetDatabases::contains).toList();
        CompletableFuture<ClusterSnapshot> onTarget = CompletableFuture.supplyAsync(
                () -> verification.measure(both, target, targetProgress, parts));
        // amcheck looks at the upgraded cluster only
        ClusterSnapshot before = withoutOwnPublications(verification.withoutAmcheck().measure(sourceDatabases, source,
                sourceProgress, parts));
        ClusterSnapshot after = withoutOwnPublications(Verification.join(onTarget));
        return report(verification, name, sourceDatabases, targetDatabases, before, after, source, target);
    }

    public static VerificationReport report(Verification verification, String name, List<String> sourceDatabases,
                                            List<String> targetDatabases, ClusterSnapshot source, ClusterSnapshot target,
                                            Function<String, SqlSession> connectSource,
                                            Function<String, SqlSession> connectTarget) {
        List<CheckResult> checks = new ArrayList<>();
        checks.add(databases(sourceDatabases, targetDatabases));
        LiveNarrowing.Result narrowed = LiveNarrowing.narrow(source, target, connectSource, connectTarget);
        checks.addAll(FingerprintsCheck.withNarrowing(verification.compare(source, target), source, target,
                narrowed.notes()));
        return new VerificationReport(name, null, target.takenAt(), source.serverVersion(), target.serverVersion(),
                source.takenAt(), source.millis(), target.millis(), null, List.copyOf(checks));
    }

    /** Databases of the source missing on the target fail; databases only on the target are a warning. */
    static CheckResult databases(List<String> source, List<String> target) {
        List<String> failures = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        TreeSet<String> t = new TreeSet<>(target);
        TreeSet<String> s = new TreeSet<>(source);
        source.stream().filter(d -> !t.contains(d)).forEach(d -> failures.add("db " + d + ": missing on the target"));
        target.stream().filter(d -> !s.contains(d)).forEach(d -> warnings.add("db " + d + ": only on the target"));
        return CheckResult.of("databases", source.size() + " database(s) on the source, " + target.size()
                + " on the target", failures, warnings, List.of());
    }

    /** The prefix of the publications, subscriptions and slots a logical plan creates. */
    public static final String OWN_PREFIX = "pgmigrate_";

    /**
     * The snapshot without the publications a logical plan made for replication (named {@value #OWN_PREFIX}…, as
     * planner/LogicalNames makes them): they exist on one side only by design and are no schema difference.
     */
    public static ClusterSnapshot withoutOwnPublications(ClusterSnapshot s) {
        if (s.schemas() == null) {
            return s;
        }
        List<SchemaInventory> schemas = s.schemas().stream().map(i -> new SchemaInventory(i.database(),
                i.serverVersionNum(), i.objects().stream().filter(o -> !(o.kind() == SchemaKind.PUBLICATION
                        && o.name().replaceFirst("^\"", "").startsWith(OWN_PREFIX))).toList())).toList();
        return new ClusterSnapshot(s.takenAt(), s.millis(), s.serverVersion(), s.rowCounts(), s.statistics(),
                s.smokeQueries(), schemas, s.fingerprints(), s.hashSelfTest(), s.amcheck());
    }
}
