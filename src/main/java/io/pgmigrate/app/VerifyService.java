package io.pgmigrate.app;

import io.pgmigrate.journal.Journal;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.verify.BaselineNarrowing;
import io.pgmigrate.verify.ClusterSnapshot;
import io.pgmigrate.verify.Reports;
import io.pgmigrate.verify.Verification;
import io.pgmigrate.verify.VerificationReport;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code pgmigrate verify}: the cluster as it is now, measured the way the plan's verify step does, and
 * compared with the baseline {@code execute} took from the old cluster while it stood still. Writes the
 * report (JSON and Markdown) beside the plan; exit 5 when a check failed.
 */
public final class VerifyService {
    private final Clock clock;

    public VerifyService(Clock clock) {
        this.clock = clock;
    }

    public record Request(Path planFile, Path inventory, TransportOptions transport) {
    }

    public record Outcome(ExitCode exitCode, String summary, Path report) {
    }

    public Outcome verify(Request request, PrintWriter out) {
        try (OpenedExecution ex = OpenedExecution.open(request.planFile(), request.inventory(), request.transport(),
                plan -> { }, OpenedExecution.Locking.TAKE, out)) {
            if (ex.plan.strategy() == Strategy.LOGICAL) {
                throw PgMigrateException.badInput(request.planFile() + " is a blue/green plan: execute compares blue"
                        + " and green at the frozen point itself (report " + ex.files.reportMarkdown() + "); to compare"
                        + " them as they are now, run pgmigrate verify --live -i " + request.inventory());
            }
            Path baseline = ex.files.baseline();
            if (!Files.exists(baseline)) {
                throw PgMigrateException.badInput("no baseline at " + baseline + ": execute takes it from the old cluster"
                        + " (step outage.baseline) before the switch; run verify after execute has passed that step");
            }
            Step step = ex.plan.steps().stream().filter(s -> s.action() instanceof Action.Verify v
                    && v.stage() == Action.Verify.Stage.COMPARE && v.scope() == Action.Verify.Scope.DATA).findFirst()
                    .orElseThrow(() -> PgMigrateException.badInput(request.planFile()
                    + " has no step that compares the data with the baseline; make a new plan"));
            Verification verification = new Verification(Verification.Settings.of((Action.Verify) step.action(),
                    ex.inventory), clock);
            ClusterSnapshot before = ex.files.readBaseline();
            ClusterSnapshot now = verification.measure(Verification.databases(
                    ex.savedFacts().source().databases()), ex.source()::connect, out::println,
                    java.util.EnumSet.allOf(Action.Verify.Scope.class));
            Duration outage = StatusService.measuredOutage(ex.plan, Journal.read(ex.files.journal()));
            VerificationReport report = verification.report(ex.plan.name(), ex.plan.digest(), before, now,
                    outage == null ? null : PlanMarkdown.human(outage));
            report = BaselineNarrowing.into(report, before, now, BaselineNarrowing.narrow(before, now,
                    ex.source()::connect));
            Duration ha = io.pgmigrate.execute.MeasuredOutage.untilHighlyAvailable(ex.plan,
                    Journal.read(ex.files.journal()));
            if (ha != null) {
                report = report.withUntilHighlyAvailable(ex.plan.strategy() == io.pgmigrate.plan.Strategy.LOGICAL
                        ? io.pgmigrate.execute.MeasuredOutage.GREEN_HA : PlanMarkdown.human(ha));
            }
            Reports.write(ex.files.report(), ex.files.reportMarkdown(), report);
            report.checks().forEach(c -> out.println("  " + c.verdict() + " " + c.check() + ": " + c.summary()));
            report.checks().forEach(c -> c.problems().forEach(p -> out.println("    " + p)));
            report.checks().stream().filter(c -> c.check().equals("data fingerprints") && !c.problems().isEmpty())
                    .forEach(c -> c.notes().forEach(n -> out.println("    " + n)));
            return report.passed()
                    ? new Outcome(ExitCode.SUCCESS, "verification passed; report " + ex.files.reportMarkdown(),
                    ex.files.reportMarkdown())
                    : new Outcome(ExitCode.VERIFICATION_FAILED, "verification FAILED (" + report.failed().size()
                    + " check(s)); report " + ex.files.reportMarkdown(), ex.files.reportMarkdown());
        }
    }
}
