package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.TransportException;
import io.pgmigrate.verify.CheckResult;
import io.pgmigrate.verify.ClusterSnapshot;
import io.pgmigrate.verify.Reports;
import io.pgmigrate.verify.Verification;
import io.pgmigrate.verify.VerificationReport;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.stream.Collectors;

/**
 * The plan's verify steps: the baseline measured on the old cluster while clients are paused and before
 * it stops, and after the switch the same measurements on the new cluster, compared, written as a report
 * beside the journal. A failed check fails the step with {@link VerificationFailed}.
 */
final class VerifyStep {
    private final ExecutionContext ctx;

    VerifyStep(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    String run(Step step, Action.Verify v) {
        Verification verification = new Verification(Verification.Settings.of(v, ctx.inventory()), Clock.systemUTC());
        ClusterSnapshot now;
        try {
            now = verification.measure(Verification.databases(ctx.facts().databases()), ctx.source()::connect,
                    line -> ctx.out().println("      | " + line));
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
        try {
            if (v.stage() == Action.Verify.Stage.BASELINE) {
                Reports.writeBaseline(ctx.files().baseline(), now);
                return "baseline of PostgreSQL " + now.serverVersion() + ": " + now.rowCounts().size() + " tables counted, "
                        + now.statistics().size() + " databases' statistics, " + now.smokeQueries().size()
                        + " smoke queries (" + ctx.files().baseline() + ")";
            }
            ClusterSnapshot before = Reports.readBaseline(ctx.files().baseline());
            VerificationReport report = verification.report(ctx.plan().name(), ctx.plan().digest(), before, now, null);
            Reports.write(ctx.files().report(), ctx.files().reportMarkdown(), report);
            report.checks().forEach(c -> ctx.out().println("      " + c.verdict() + " " + c.check() + ": " + c.summary()));
            if (!report.passed()) {
                throw new VerificationFailed(step.id() + ": verification failed: " + report.failed().stream()
                        .map(VerifyStep::firstProblem).collect(Collectors.joining("; ")) + " (report "
                        + ctx.files().reportMarkdown() + ")");
            }
            return "verification passed (report " + ctx.files().reportMarkdown() + ")";
        } catch (UncheckedIOException e) {
            throw new StepFailure(step.id() + ": baseline or report file beside the plan: " + e.getCause().getMessage());
        }
    }

    private static String firstProblem(CheckResult c) {
        return c.check() + ": " + c.problems().get(0) + (c.problems().size() > 1 ? " and " + (c.problems().size() - 1)
                + " more" : "");
    }

    /** A step failed because the data or the statistics differ: exit code 5, not 4. */
    static final class VerificationFailed extends StepFailure {
        VerificationFailed(String message) {
            super(message);
        }
    }
}
