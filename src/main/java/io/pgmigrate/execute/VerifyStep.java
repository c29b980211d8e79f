package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;
import io.pgmigrate.verify.CheckResult;
import io.pgmigrate.verify.BaselineNarrowing;
import io.pgmigrate.verify.ClusterSnapshot;
import io.pgmigrate.verify.HeldSnapshots;
import io.pgmigrate.verify.Reports;
import io.pgmigrate.verify.Verification;
import io.pgmigrate.verify.VerificationReport;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The plan's verify steps. Baselines are measured on the old cluster (the schema just before the outage,
 * the data while clients are paused and before it stops) and merged into one baseline file; after the
 * switch the same parts are measured on the new cluster, merged into the "after" file, compared, and the
 * report beside the journal is rewritten with what is known so far. A failed check fails the step with
 * {@link VerificationFailed}.
 *
 * <p>When the plan holds a snapshot of the new cluster before clients return (stage SNAPSHOT), the data
 * comparison after it measures inside that snapshot: the data as it stood when the outage ended, whatever
 * clients have written since. The snapshot lives in this process; if pgmigrate stopped in between, the
 * comparison measures the live data and reports differences in it as warnings, since they may be writes. So it does
 * when a failure resumed clients before the outage ended ({@link PausedClients#resumedBy}): they may have written since.
 */
public final class VerifyStep implements AutoCloseable {
    private final ExecutionContext ctx;
    /** The snapshots the SNAPSHOT step holds for the data comparison; null when none are held. */
    private HeldSnapshots held;

    VerifyStep(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    String run(Step step, Action.Verify v) {
        if (v.stage() == Action.Verify.Stage.SNAPSHOT) {
            return holdSnapshots(step);
        }
        Verification verification = new Verification(Verification.Settings.of(v, ctx.inventory()), Clock.systemUTC());
        Set<Action.Verify.Scope> parts = v.scope() == null ? EnumSet.allOf(Action.Verify.Scope.class)
                : EnumSet.of(v.scope());
        boolean data = parts.contains(Action.Verify.Scope.DATA);
        boolean inSnapshot = data && v.stage() == Action.Verify.Stage.COMPARE && held != null;
        boolean live = data && v.stage() == Action.Verify.Stage.COMPARE && held == null && plansSnapshot();
        if (live) {
            ctx.out().println("      WARNING the snapshot held for this comparison ended when an earlier pgmigrate run"
                    + " stopped: the live data is measured, and differences in it may be clients' writes since");
        }
        // the report covers all measured after, the data too (also when only the schema is measured now)
        String resumedBy = v.stage() == Action.Verify.Stage.COMPARE ? clientsResumedBy() : null;
        if (resumedBy != null) {
            ctx.out().println("      WARNING clients were resumed when step " + resumedBy + " failed, before the new"
                    + " cluster's data was measured: differences in it may be their writes");
        }
        // the new cluster as it stood when clients came back, while they already write; released when done
        Function<String, SqlSession> bounded = db -> ctx.source().connect(db, step.timeout());
        Function<String, SqlSession> connect = inSnapshot ? held.importing(bounded) : bounded;
        try {
            ClusterSnapshot now = verification.measure(Verification.databases(ctx.facts().databases()), connect,
                    line -> ctx.out().println("      | " + line), parts);
            if (v.stage() == Action.Verify.Stage.BASELINE) {
                return baseline(v, parts, now);
            }
            try {
                return compare(step, verification, parts, now, connect, live, resumedBy)
                        + (inSnapshot ? ", in the held snapshot" : "");
            } finally {
                if (inSnapshot) {
                    close(); // compared: released; a connection lost while measuring keeps it for the retry
                }
            }
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new StepFailure(step.id() + ": baseline or report file beside the plan: " + e.getCause().getMessage());
        }
    }

    /** Writes a baseline of the old cluster: the schema (taken before the outage) and the data each to its own file. */
    private String baseline(Action.Verify v, Set<Action.Verify.Scope> parts, ClusterSnapshot now) {
        String clients = parts.contains(Action.Verify.Scope.DATA) ? otherClients() : null;
        if (clients != null) {
            ctx.out().println("      WARNING " + clients);
        }
        // the outage neither reads nor rewrites the schema's file
        Path file = v.scope() == Action.Verify.Scope.CATALOG ? ctx.files().schemaBaseline() : ctx.files().baseline();
        Reports.writeBaseline(file, now);
        try {
            // whatever was measured on a new cluster before this baseline belongs to an earlier attempt
            Files.deleteIfExists(ctx.files().after());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        return "baseline of PostgreSQL " + now.serverVersion() + " (" + parts + ", measured in " + now.millis()
                + " ms) in " + file + (clients == null ? "" : "; " + clients);
    }

    /**
     * Compares the new cluster with the baseline, names the key ranges of tables whose fingerprints differ
     * (over the same connections), rewrites the report; a failed check fails the step.
     */
    private String compare(Step step, Verification verification, Set<Action.Verify.Scope> parts, ClusterSnapshot now,
                           Function<String, SqlSession> connect, boolean live, String resumedBy) {
        ClusterSnapshot before = ctx.files().readBaseline();
        ClusterSnapshot after = merged(ctx.files().after(), now);
        Reports.writeBaseline(ctx.files().after(), after);
        VerificationReport report = verification.report(ctx.plan().name(), ctx.plan().digest(), before, after, null);
        report = BaselineNarrowing.into(report, before, after, BaselineNarrowing.narrow(before, after, connect));
        if (live) {
            report = report.withChecks(report.checks().stream()
                    .map(c -> CHANGED_BY_WRITES.contains(c.check()) ? c.softened(LIVE_DATA) : c).toList());
        }
        if (!parts.contains(Action.Verify.Scope.DATA)) {
            // the data in the report was judged by the data comparison before this step, which passed or warned (it
            // measured live data, say); a schema comparison does not turn its warnings into failures
            report = report.withChecks(report.checks().stream().map(c -> CHANGED_BY_WRITES.contains(c.check())
                    ? c.softened("judged by the data comparison before this one, which let it pass as a warning") : c)
                    .toList());
        }
        if (resumedBy != null) {
            String why = "measured after clients were resumed when step " + resumedBy + " failed: a difference may be"
                    + " a client's write";
            report = report.withChecks(report.checks().stream()
                    .map(c -> CHANGED_BY_WRITES.contains(c.check()) ? c.softened(why) : c).toList());
        }
        Reports.write(ctx.files().report(), ctx.files().reportMarkdown(), report);
        report.checks().forEach(c -> ctx.out().println("      " + c.verdict() + " " + c.check() + ": " + c.summary()));
        if (!report.passed()) {
            throw new VerificationFailed(step.id() + ": verification failed: " + report.failed().stream()
                    .map(VerifyStep::firstProblem).collect(Collectors.joining("; ")) + " (report "
                    + ctx.files().reportMarkdown() + ")");
        }
        return "verification passed so far, report " + ctx.files().reportMarkdown() + " (" + parts + " measured in "
                + now.millis() + " ms)";
    }

    /** The checks a client's write can make differ (the schema and the statistics' presence it cannot). */
    public static final Set<String> CHANGED_BY_WRITES = Set.of("row counts", "row counts of unlogged tables",
            "data fingerprints", "smoke queries");
    private static final String LIVE_DATA = "measured on live data after clients were back (the snapshot held for"
            + " the comparison ended when an earlier pgmigrate run stopped): a difference may be a client's write";

    /**
     * Exports and holds a snapshot of every measured database of the new cluster, before clients return;
     * a retry replaces the one it held.
     */
    private String holdSnapshots(Step step) {
        close();
        java.util.List<String> dbs = Verification.databases(ctx.facts().databases());
        try {
            held = HeldSnapshots.export(dbs, ctx.source()::connect);
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
        return "snapshot of " + dbs.size() + " database(s) held: the data is compared as it stands now, once clients"
                + " are back";
    }

    /** The step whose failure resumed clients before the outage's end in this execution ({@link PausedClients}). */
    private String clientsResumedBy() {
        java.nio.file.Path journal = ctx.files() == null ? null : ctx.files().journal();
        return journal == null || !Files.exists(journal) ? null
                : PausedClients.resumedBy(ctx.plan().steps(), io.pgmigrate.journal.Journal.state(journal));
    }

    /** Whether the plan holds a snapshot for the data comparison (a SNAPSHOT step). */
    private boolean plansSnapshot() {
        return ctx.plan().phases().stream().flatMap(p -> p.steps().stream())
                .anyMatch(s -> s.action() instanceof Action.Verify x && x.stage() == Action.Verify.Stage.SNAPSHOT);
    }

    /** Releases the held snapshots (they keep VACUUM from removing rows that died since). */
    @Override
    public void close() {
        if (held != null) {
            held.close();
            held = null;
        }
    }

    /**
     * Without pgbouncer nothing keeps clients from writing while the baseline is taken (the old cluster
     * serves until it stops): sessions other than pgmigrate's are named, since their writes would show
     * as differences in the verification. Null when there are none, or when pgbouncer pauses clients.
     */
    private String otherClients() {
        if (ctx.inventory().cutover() != null && ctx.inventory().cutover().pgbouncer() != null) {
            return null;
        }
        try (io.pgmigrate.transport.SqlSession s = ctx.source().connect(ctx.inventory().source().pg().database())) {
            io.pgmigrate.transport.SqlRow r = s.query("SELECT count(*) AS n, string_agg(DISTINCT coalesce(usename, '?')"
                    + " || '@' || coalesce(datname, '?') || coalesce(' (' || nullif(application_name, '') || ')', ''), ', ')"
                    + " AS who FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend'"
                    + " AND pid <> pg_catalog.pg_backend_pid() AND application_name NOT LIKE 'pgmigrate%'").get(0);
            return r.getLong("n") == 0 ? null : r.getLong("n") + " client session(s) are connected while the baseline"
                    + " is taken (" + r.get("who") + "); without pgbouncer nothing stops their writes, which the"
                    + " verification would then report as differences: stop the application before the outage";
        }
    }

    /**
     * What an earlier step of this execution measured (of the same cluster: same server version) with the
     * parts measured now put in; a file from another cluster or version is not merged.
     */
    private static ClusterSnapshot merged(Path file, ClusterSnapshot now) {
        if (!Files.exists(file)) {
            return now;
        }
        ClusterSnapshot earlier = Reports.readBaseline(file);
        return earlier.serverVersion().equals(now.serverVersion()) ? earlier.with(now) : now;
    }

    public static String firstProblem(CheckResult c) {
        return c.check() + ": " + c.problems().get(0) + (c.problems().size() > 1 ? " and " + (c.problems().size() - 1)
                + " more" : "");
    }

    /**
     * A step failed because the data or the statistics differ: exit code 5, not 4. {@code atFrozenPoint}: blue/green,
     * measured in the snapshots held at the frozen point (a rerun must not soften it).
     */
    public static final class VerificationFailed extends StepFailure {
        private final boolean atFrozenPoint;

        public VerificationFailed(String message) {
            this(message, false);
        }

        public VerificationFailed(String message, boolean atFrozenPoint) {
            super(message);
            this.atFrozenPoint = atFrozenPoint;
        }

        public boolean atFrozenPoint() {
            return atFrozenPoint;
        }
    }
}
