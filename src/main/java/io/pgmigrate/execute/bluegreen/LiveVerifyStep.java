package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.journal.Journal;

import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.execute.VerifyStep;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;
import io.pgmigrate.verify.HeldSnapshots;
import io.pgmigrate.verify.LiveVerification;
import io.pgmigrate.verify.Reports;
import io.pgmigrate.verify.Verification;
import io.pgmigrate.verify.VerificationReport;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The verify steps of a blue/green plan. Stage LIVE: blue and green measured at the same time and compared with each
 * other ({@link LiveVerification}, as {@code pgmigrate verify --live}); differing data is narrowed to rows by key.
 * Stage SNAPSHOT (cutover.verify-snapshot, at the frozen point): one snapshot per database exported and held on each
 * cluster, so that the LIVE data comparison after the switch (post.verify) measures both as they stood then; it
 * releases them. When the snapshots were lost with an earlier run, that comparison measures the clusters as they are,
 * with differences a write can explain softened to warnings. The report goes beside the journal; a failed check
 * fails the step with {@link VerifyStep.VerificationFailed} (exit 5).
 */
final class LiveVerifyStep implements AutoCloseable {
    private static final String LIVE_DATA = "measured live while clients write on green (the snapshots held at the"
            + " frozen point ended when an earlier pgmigrate run stopped): a difference may be a write in flight;"
            + " compare again at a quiet moment with pgmigrate verify --live";

    /** How a failed comparison in the held snapshots starts (the journal keeps its kind: a rerun must not soften it). */
    static final String FROZEN_FAILURE = "live verification failed at the frozen point";

    private final ExecutionContext ctx;
    private HeldSnapshots blueHeld;
    private HeldSnapshots greenHeld;

    LiveVerifyStep(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    /** Stage SNAPSHOT: holds blue and green as they stand (frozen); a retry replaces what an earlier try held. */
    String hold(Step step) {
        close();
        ClusterAccess blue = ctx.access(Endpoint.SOURCE);
        ClusterAccess green = ctx.access(Endpoint.TARGET);
        try {
            blueHeld = HeldSnapshots.export(databases(blue), blue::connect);
            greenHeld = HeldSnapshots.export(databases(green), green::connect);
        } catch (TransportException e) {
            close();
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
        return "snapshots held at the frozen point: " + blueHeld.databases().size() + " database(s) on blue, "
                + greenHeld.databases().size() + " on green; compared once clients work on green";
    }

    String run(Step step, Action.Verify v) {
        Verification verification = new Verification(Verification.Settings.of(v, ctx.inventory()), Clock.systemUTC());
        Set<Action.Verify.Scope> parts = v.scope() == null ? EnumSet.allOf(Action.Verify.Scope.class)
                : EnumSet.of(v.scope());
        boolean data = parts.contains(Action.Verify.Scope.DATA);
        boolean inSnapshots = data && blueHeld != null;
        boolean live = data && !inSnapshots && !step.inOutage() && ctx.plan().steps().stream()
                .anyMatch(s -> s.action() instanceof Action.Verify h && h.stage() == Action.Verify.Stage.SNAPSHOT);
        boolean failedFrozen = live && failedAtFrozenPoint(step);
        if (failedFrozen) {
            print("an earlier comparison at the frozen point failed: differences measured now count as failures");
        } else if (live) {
            print("WARNING " + LIVE_DATA);
        }
        ClusterAccess blue = ctx.access(Endpoint.SOURCE);
        ClusterAccess green = ctx.access(Endpoint.TARGET);
        Function<String, SqlSession> blueBounded = db -> blue.connect(db, step.timeout());
        Function<String, SqlSession> greenBounded = db -> green.connect(db, step.timeout());
        Function<String, SqlSession> blueConnect = inSnapshots ? blueHeld.importing(blueBounded) : blueBounded;
        Function<String, SqlSession> greenConnect = inSnapshots ? greenHeld.importing(greenBounded) : greenBounded;
        try {
            List<String> blueDbs = inSnapshots ? blueHeld.databases() : databases(blue);
            List<String> greenDbs = inSnapshots ? greenHeld.databases() : databases(green);
            VerificationReport report = LiveVerification.measureAndReport(verification, ctx.plan().name(), blueDbs,
                    blueConnect, line -> print("blue | " + line), greenDbs, greenConnect,
                    line -> print("green | " + line), parts);
            if (live && !failedFrozen) {
                report = report.withChecks(report.checks().stream().map(c -> VerifyStep.CHANGED_BY_WRITES
                        .contains(c.check()) ? c.softened(LIVE_DATA) : c).toList());
            }
            if (inSnapshots) {
                close(); // measured: the snapshots keep VACUUM from removing rows on both clusters
            }
            Reports.write(ctx.files().report(), ctx.files().reportMarkdown(), report);
            report.checks().forEach(c -> print(c.verdict() + " " + c.check() + ": " + c.summary()));
            if (!report.passed()) {
                throw new VerifyStep.VerificationFailed(step.id() + ": " + (inSnapshots ? FROZEN_FAILURE
                        : "live verification failed") + ": " + report.failed().stream().map(VerifyStep::firstProblem)
                        .collect(Collectors.joining("; ")) + " (report " + ctx.files().reportMarkdown() + ")",
                        inSnapshots);
            }
            return "blue and green agree (" + parts + (inSnapshots ? ", at the frozen point" : live ? ", live" : "")
                    + "), report " + ctx.files().reportMarkdown();
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new StepFailure(step.id() + ": report file beside the plan: " + e.getCause().getMessage());
        }
    }

    /** Whether an earlier run of the step found a difference at the frozen point (the journal says so). */
    private boolean failedAtFrozenPoint(Step step) {
        return Journal.state(ctx.files().journal()).failedAtFrozenPoint(step.id());
    }

    /** Releases the held snapshots, if any. */
    @Override
    public void close() {
        if (blueHeld != null) {
            blueHeld.close();
            blueHeld = null;
        }
        if (greenHeld != null) {
            greenHeld.close();
            greenHeld = null;
        }
    }

    private static List<String> databases(ClusterAccess cluster) {
        try (SqlSession s = cluster.connect(cluster.maintenanceDatabase())) {
            return LiveVerification.databases(s);
        }
    }

    private void print(String line) {
        synchronized (ctx.out()) {
            ctx.out().println("      " + line);
            ctx.out().flush();
        }
    }
}
