package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;
import io.pgmigrate.verify.LiveVerification;
import io.pgmigrate.verify.Reports;
import io.pgmigrate.verify.Verification;
import io.pgmigrate.verify.VerificationReport;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A verify step of stage LIVE (blue/green): blue and green measured at the same time, as they are now, and
 * compared with each other ({@link LiveVerification}, as {@code pgmigrate verify --live}); differing data is
 * narrowed to rows by key. The report goes beside the journal; a failed check fails the step with
 * {@link VerifyStep.VerificationFailed} (exit 5).
 */
final class LiveVerifyStep {
    private final ExecutionContext ctx;

    LiveVerifyStep(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    String run(Step step, Action.Verify v) {
        Verification verification = new Verification(Verification.Settings.of(v, ctx.inventory()), Clock.systemUTC());
        Set<Action.Verify.Scope> parts = v.scope() == null ? EnumSet.allOf(Action.Verify.Scope.class)
                : EnumSet.of(v.scope());
        ClusterAccess blue = ctx.access(Endpoint.SOURCE);
        ClusterAccess green = ctx.access(Endpoint.TARGET);
        try {
            List<String> blueDbs = databases(blue);
            List<String> greenDbs = databases(green);
            VerificationReport report = LiveVerification.measureAndReport(verification, ctx.plan().name(), blueDbs,
                    blue::connect, line -> print("blue | " + line), greenDbs, green::connect,
                    line -> print("green | " + line), parts);
            Reports.write(ctx.files().report(), ctx.files().reportMarkdown(), report);
            report.checks().forEach(c -> print(c.verdict() + " " + c.check() + ": " + c.summary()));
            if (!report.passed()) {
                throw new VerifyStep.VerificationFailed(step.id() + ": live verification failed: " + report.failed()
                        .stream().map(VerifyStep::firstProblem).collect(Collectors.joining("; ")) + " (report "
                        + ctx.files().reportMarkdown() + ")");
            }
            return "blue and green agree (" + parts + "), report " + ctx.files().reportMarkdown();
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new StepFailure(step.id() + ": report file beside the plan: " + e.getCause().getMessage());
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
