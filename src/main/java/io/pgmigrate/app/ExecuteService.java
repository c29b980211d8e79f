package io.pgmigrate.app;

import io.pgmigrate.execute.ExecutionResult;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalState;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.execute.DryRun;
import io.pgmigrate.execute.bluegreen.BlueGreenExecution;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inspect.Inspector;
import io.pgmigrate.plan.FingerprintDiff;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.rehearsal.SchemaRehearsal;
import io.pgmigrate.transport.TransportOptions;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code pgmigrate execute}: runs exactly the reviewed plan. Before anything else it refuses a plan file
 * changed since {@code plan} wrote it, a plan with blockers, a second concurrent execution, and a source
 * that changed since the plan (stale plan). {@code --dry-run} then re-checks everything read-only (schema
 * rehearsal, pre-checks, pg_upgrade --check on a scratch cluster) and prints every step it would run;
 * without it, the steps run for real, journaled, resumable and rolled back on failure before the point
 * of no return.
 */
public final class ExecuteService {
    private final Clock clock;

    public ExecuteService(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param retryStep the failed step to run again ({@code --retry-step}), or null
     * @param breakLock take the execution lock from a holder the DBA knows is gone for good ({@code --break-lock})
     */
    /**
     * @param expectDigest the digest the DBA approved (printed in the reviewed NAME.plan.md), or null: a plan of any
     *                     other digest is refused before anything is touched ({@code --expect-digest})
     */
    public record Request(Path planFile, Path inventory, boolean dryRun, TransportOptions transport, String retryStep,
                          boolean breakLock, String expectDigest) {
        public Request(Path planFile, Path inventory, boolean dryRun, TransportOptions transport) {
            this(planFile, inventory, dryRun, transport, null, false, null);
        }

        public Request(Path planFile, Path inventory, boolean dryRun, TransportOptions transport, String retryStep,
                       boolean breakLock) {
            this(planFile, inventory, dryRun, transport, retryStep, breakLock, null);
        }
    }

    public record Outcome(ExitCode exitCode, String summary) {
    }

    public Outcome execute(Request request, PrintWriter out) {
        OpenedExecution.Locking locking = request.dryRun() ? OpenedExecution.Locking.NONE
                : request.breakLock() ? OpenedExecution.Locking.BREAK : OpenedExecution.Locking.TAKE;
        String expected = ApprovedDigest.parse(request.expectDigest());
        try (OpenedExecution ex = OpenedExecution.open(request.planFile(), request.inventory(), request.transport(),
                plan -> {
                    ApprovedDigest.refuseOther(request.planFile(), plan, expected);
                    refuseBlocked(plan);
                }, locking, out)) {
            out.println("Plan " + request.planFile() + " (" + ex.plan.digest() + "): digest verified");
            if (request.dryRun() && request.retryStep() != null) {
                throw PgMigrateException.badInput("--retry-step and --dry-run cannot be combined: a dry run changes"
                        + " nothing, so there is no failed step to run again");
            }
            return request.dryRun() ? dryRun(ex, out) : execute(ex, out, request.retryStep());
        }
    }

    private static void refuseBlocked(Plan plan) {
        if (!plan.ready()) {
            throw new PgMigrateException(ExitCode.BLOCKERS, "plan " + plan.name() + " lists " + plan.blockers().size()
                    + " blocker(s); fix them, then make and review a new plan");
        }
    }

    private Outcome dryRun(OpenedExecution ex, PrintWriter out) {
        ClusterFacts facts = freshFacts(ex, out);
        facts = facts.withRehearsal(new SchemaRehearsal(ex.inventory, facts.source(), ex.targetHost()).run());
        Outcome blocked = refuseNewBlockers(ex, facts, out);
        if (blocked != null) {
            return blocked;
        }
        DryRun.Result r = new DryRun(ex.plan, ex.source().shell(), out).run();
        if (r.preflightFailure() != null) {
            return new Outcome(ExitCode.BLOCKERS, "dry run: " + r.preflightFailure() + "; nothing was changed");
        }
        return new Outcome(ExitCode.SUCCESS, "dry run passed: pre-flight ran for real, " + r.printed()
                + " steps printed, nothing was changed");
    }

    /**
     * A new execution checks the live source first; an execution that is underway (the journal says so:
     * the tool, SSH or this machine died mid-way) resumes with the facts it started from, since the old
     * cluster may be stopped by now.
     */
    private Outcome execute(OpenedExecution ex, PrintWriter out, String retryStep) {
        Path journalFile = ex.files.journal();
        JournalState state = ex.state();
        if (state.open() && state.ended()) {
            return new Outcome(ExitCode.SUCCESS, "this plan was executed completely already (journal " + journalFile
                    + "); the new cluster serves");
        }
        if (state.open() && state.reversed()) {
            return new Outcome(ExitCode.STEP_FAILED, BlueGreenExecution.REVERSED);
        }
        boolean underway = state.open();
        ClusterFacts facts;
        if (underway) {
            facts = ex.savedFacts();
            out.println("Resuming the execution recorded in " + journalFile);
        } else {
            facts = freshFacts(ex, out);
            Outcome blocked = refuseNewBlockers(ex, facts, out);
            if (blocked != null) {
                return blocked;
            }
            PlanFiles.writeAtomically(ex.files.facts(), PlanJson.write(facts));
        }
        String execution = ex.executionId();
        if (!underway) {
            ex.recordUnderway(execution);
        }
        try (Journal journal = Journal.open(journalFile)) {
            ExecutionResult r = ex.execution(ex.context(facts, out, execution), journal).run(retryStep);
            ex.releaseIfOver();
            return new Outcome(r.exitCode(), r.summary());
        }
    }

    private ClusterFacts freshFacts(OpenedExecution ex, PrintWriter out) {
        ClusterFacts facts = new Inspector().inspect(ex.inventory, ex.source(), ex.targetHost(), ex.standbys()::of,
                g -> ex.standbys().of(g).shell());
        refuseStale(ex.plan, facts, ex.inventory.file());
        out.println("Source " + facts.source().systemIdentifier() + " is the cluster the plan was made for");
        return facts;
    }

    private Outcome refuseNewBlockers(OpenedExecution ex, ClusterFacts facts, PrintWriter out) {
        List<Finding> blockers = Planner.plan(ex.inventory, facts, Instant.now(clock)).blockers();
        if (blockers.isEmpty()) {
            return null;
        }
        blockers.forEach(b -> out.println("  BLOCKER " + b.title() + " [" + b.check() + "]: "
                + String.join("; ", b.objects())));
        return new Outcome(ExitCode.BLOCKERS, blockers.size() + " blocker(s) appeared since the plan was made;"
                + " nothing was changed: fix them, then make and review a new plan");
    }

    private static void refuseStale(Plan plan, ClusterFacts facts, Path inventory) {
        List<String> diffs = FingerprintDiff.differences(plan.fingerprint(), Planner.fingerprint(facts.source()));
        if (!diffs.isEmpty()) {
            throw new PgMigrateException(ExitCode.STALE_PLAN, "the plan for " + inventory + " is stale, the source changed since the plan: "
                    + diffs.stream().collect(Collectors.joining("; ")) + "; make and review a new plan");
        }
    }
}
