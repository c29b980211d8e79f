package io.pgmigrate.execute.inplace;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.Redact;
import io.pgmigrate.execute.ActionRunner;
import io.pgmigrate.execute.CompletionProbe;
import io.pgmigrate.execute.Controller;
import io.pgmigrate.execute.Execution;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionResult;
import io.pgmigrate.execute.PausedClients;
import io.pgmigrate.execute.StepAttempt;
import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.execute.StepLoop;
import io.pgmigrate.execute.StepRunner;
import io.pgmigrate.execute.StrategyActions;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalEvent.RollbackKind;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.PhaseKind;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.TransportException;

import java.util.List;

/**
 * Runs an in-place plan's steps in order through the shared {@link StepLoop}; {@link InPlaceFailures} decides what a
 * failure does. A failure before the point of no return rolls back to a running old cluster ({@link OldCluster});
 * once the journal says the point of no return was crossed, nothing ever goes back: execute, --retry-step and
 * rollback say so and what to do instead. pgbouncer is resumed on any failure once it was paused. The cleanup phase
 * runs only on an explicit {@code pgmigrate cleanup}.
 */
public final class InPlaceExecution implements Execution {
    private final ExecutionContext ctx;
    private final Journal journal;
    private final StepRunner runner;
    private final StepAttempt attempt;
    private final StepLoop loop;
    private final NoReturn noReturn;
    private final OldCluster oldCluster;

    public InPlaceExecution(ExecutionContext ctx, Journal journal) {
        this(ctx, journal, null, new NoReturn(ctx), new OldCluster(ctx));
    }

    /** With the runner, the point-of-no-return judge and the way back given (unit tests give fakes). */
    InPlaceExecution(ExecutionContext ctx, Journal journal, StepRunner runner, NoReturn noReturn, OldCluster oldCluster) {
        this.ctx = ctx;
        this.journal = journal;
        this.runner = runner != null ? runner : new ActionRunner(ctx, StrategyActions.NONE, (step, running) ->
                journal.append(new JournalEvent.StepOverdue(ctx.clock().instant(), step.id(), running.toMillis())));
        this.attempt = new StepAttempt(ctx, journal, this.runner, new CompletionProbe(ctx));
        this.loop = new StepLoop(ctx, journal, attempt);
        this.noReturn = noReturn;
        this.oldCluster = oldCluster;
    }

    /**
     * @param retryStep the step the journal shows failed, whose finished run on the host is to be cleared so that it
     *                  runs again (the DBA repaired the cause); null: none
     */
    @Override
    public ExecutionResult run(String retryStep) {
        JournalState state = journal.state();
        if (retryStep != null) {
            ExecutionResult refused = clearForRetry(retryStep, state);
            if (refused != null) {
                return refused;
            }
        }
        try {
            attempt.log(new JournalEvent.ExecutionStarted(ctx.clock().instant(), JournalEvent.FORMAT, ctx.execution(),
                    ctx.plan().digest(), Controller.current(), retryStep));
        } catch (Journal.WriteFailed e) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, e.getMessage() + ". Nothing was run now");
        }
        ExecutionResult stop;
        try (runner) {
            stop = loop.run(executeSteps(), new InPlaceFailures(ctx, journal, runner, attempt, noReturn, oldCluster,
                    false));
        }
        if (stop != null) {
            return stop;
        }
        try {
            attempt.log(new JournalEvent.ExecutionFinished(ctx.clock().instant(), null));
        } catch (Journal.WriteFailed e) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "every step finished and the new cluster serves, but " +
                    e.getMessage());
        }
        return ExecutionResult.of(ExitCode.SUCCESS, "executed: the new cluster serves on port "
                + ctx.commands().port() + measured() + "; the old cluster is kept until pgmigrate cleanup");
    }

    /** The write outage and, with standbys, the time until they all streamed again, as the journal measured them. */
    private String measured() {
        List<JournalEvent> events = journal.state().events();
        java.time.Duration outage = io.pgmigrate.execute.MeasuredOutage.whole(ctx.plan(), events);
        java.time.Duration ha = io.pgmigrate.execute.MeasuredOutage.untilHighlyAvailable(ctx.plan(), events);
        return (outage == null ? "" : "; write outage " + io.pgmigrate.plan.PlanMarkdown.human(outage))
                + (ha == null ? "" : "; highly available again after " + io.pgmigrate.plan.PlanMarkdown.human(ha)
                + " (every standby streaming with no lag)");
    }

    private List<Step> executeSteps() {
        return ctx.plan().phases().stream().filter(p -> !p.kind().onRequestOnly())
                .flatMap(p -> p.steps().stream()).toList();
    }

    /**
     * {@code pgmigrate rollback}: back to the running old cluster from wherever an execution stopped, failed or was
     * killed, as long as the point of no return was not crossed; otherwise nothing is touched and the result says why.
     */
    @Override
    public ExecutionResult rollback() {
        return rollback(false);
    }

    /**
     * @param discardNewWrites {@code --discard-new-writes}: with --copy or --clone the old cluster's files are intact
     *                         until cleanup, so the way back stays open past the point of no return, losing whatever
     *                         the new cluster accepted; refused for the other modes
     */
    @Override
    public ExecutionResult rollback(boolean discardNewWrites) {
        if (discardNewWrites && !oldFilesIntact()) {
            return ExecutionResult.of(ExitCode.BAD_INPUT, "--discard-new-writes: plan " + ctx.plan().name() + " upgrades"
                    + " with " + ctx.inventory().options().mode().flag() + ", which gives the old cluster's files to the"
                    + " new one; only --copy and --clone keep them intact. Nothing was changed");
        }
        JournalState state = journal.state();
        if (!state.open() || state.began().isEmpty()) {
            return ExecutionResult.of(ExitCode.SUCCESS, "nothing to roll back: no step of plan " + ctx.plan().name()
                    + " has run" + (state.rolledBack() ? " since the last rollback" : "")
                    + "; the old cluster is as it was");
        }
        String closed;
        try {
            closed = closedBy(state);
        } catch (Journal.WriteFailed e) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, e.getMessage() + ". Nothing was changed");
        }
        if (closed != null && !discardNewWrites) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "cannot roll back: " + closed + ". Nothing was changed."
                    + (oldFilesIntact() ? " With " + ctx.inventory().options().mode().flag() + " the old cluster's"
                    + " files are intact: pgmigrate rollback --discard-new-writes goes back to it, losing every write"
                    + " the new cluster accepted (dump what you need from it first); to go forward,"
                    : " The way back now is a backup or a standby (see the plan's rollback rules); to go forward,")
                    + " run execute again (with --retry-step for the step that failed, once its cause is repaired)");
        }
        if (closed != null) {
            ctx.out().printf("  %s: going back anyway (--discard-new-writes): what the new cluster accepted is lost%n",
                    closed);
        }
        String running = io.pgmigrate.execute.StillRunning.reason(ctx, state, java.util.Set.of());
        if (running != null) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "cannot roll back yet: " + running + ". Nothing was"
                    + " changed; wait for it (pgmigrate status), then run rollback or execute again");
        }
        InPlaceFailures failures = new InPlaceFailures(ctx, journal, runner, attempt, noReturn, oldCluster, false);
        try (runner) {
            failures.resumeClients();
            return ExecutionResult.of(ExitCode.SUCCESS, "rolled back: " + failures.rollBack(null,
                    closed == null ? "pgmigrate rollback" : "pgmigrate rollback --discard-new-writes") + "; the old"
                    + " cluster serves as before" + (closed == null ? "" : " (the new cluster's writes were discarded)"));
        } catch (StepFailure e) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "the rollback failed: " + e.getMessage() + ". "
                    + failures.startByHand());
        } catch (Journal.WriteFailed e) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, e.getMessage());
        }
    }

    /** --copy and --clone leave the old cluster's files as they were until cleanup. */
    private boolean oldFilesIntact() {
        var mode = ctx.inventory().options().mode();
        return mode == io.pgmigrate.inventory.Inventory.UpgradeMode.COPY
                || mode == io.pgmigrate.inventory.Inventory.UpgradeMode.CLONE;
    }

    /**
     * Why the way back is closed for the journal's execution, or null when it is open: the journal says the point of
     * no return was crossed; or a step marked as it finished, or was begun and failed or was interrupted after crossing
     * it (asked on the host, with what was recorded when it started) — then that is journaled, once.
     */
    String closedBy(JournalState state) {
        if (state.crossed() != null) {
            return describe(state.crossed());
        }
        for (Step step : ctx.plan().steps()) {
            if (step.marker() != Marker.POINT_OF_NO_RETURN || !state.began(step.id())) {
                continue;
            }
            String why = state.isFinished(step.id()) ? "it finished"
                    : noReturn.crossed(step, state.recorded(step.id()).newCluster());
            if (why != null) {
                JournalEvent.PointOfNoReturnCrossed crossed = new JournalEvent.PointOfNoReturnCrossed(
                        ctx.clock().instant(), step.id(), Redact.secrets(why));
                attempt.log(crossed);
                return describe(crossed);
            }
        }
        return null;
    }

    static String describe(JournalEvent.PointOfNoReturnCrossed crossed) {
        return "the point of no return was crossed at step " + crossed.step() + " (" + crossed.why() + ")";
    }

    /**
     * {@code pgmigrate cleanup}: the plan's cleanup phase (deleting the old cluster), only after the execution
     * completed and only while the new cluster answers as the target version.
     */
    @Override
    public ExecutionResult cleanup() {
        JournalState state = journal.state();
        Phase cleanup = ctx.plan().phase(PhaseKind.CLEANUP).orElse(null);
        if (cleanup == null || cleanup.steps().isEmpty()) {
            return ExecutionResult.of(ExitCode.SUCCESS, "this plan has no cleanup steps");
        }
        if (state.cleanedUp()) {
            return ExecutionResult.of(ExitCode.SUCCESS, "cleaned up already: the old cluster was deleted");
        }
        if (!state.ended()) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "cannot clean up: the execution of this plan has not"
                    + " completed (see pgmigrate status); the old cluster is the way back until it has. Nothing was"
                    + " changed");
        }
        try (runner) {
            String serving = runner instanceof ActionRunner a ? a.targetServes() : null;
            if (serving != null) {
                return ExecutionResult.of(ExitCode.STEP_FAILED, "cannot clean up: " + serving + "; the old cluster"
                        + " stays until the new one serves. Nothing was changed");
            }
            ExecutionResult stop = loop.run(cleanup.steps(), new InPlaceFailures(ctx, journal, runner, attempt,
                    noReturn, oldCluster, true));
            if (stop != null) {
                return stop;
            }
            attempt.log(new JournalEvent.CleanupFinished(ctx.clock().instant(), "the old cluster's data files were"
                    + " deleted"));
        } catch (Journal.WriteFailed e) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, e.getMessage());
        }
        return ExecutionResult.of(ExitCode.SUCCESS, "cleaned up: the old cluster's data files were deleted");
    }

    /**
     * {@code --retry-step}: only the step the journal shows failed last, and only when its program does not run any
     * more; its finished run's files on the host are removed so that it starts afresh. Returns the refusal (nothing
     * changed), or null.
     */
    private ExecutionResult clearForRetry(String stepId, JournalState state) {
        boolean underway = state.open() && state.execution().equals(ctx.execution());
        if (!underway || !stepId.equals(state.lastFailed()) || state.isFinished(stepId)) {
            return ExecutionResult.of(ExitCode.BAD_INPUT, "--retry-step " + stepId + ": the journal " + journal.file()
                    + " shows " + (!underway ? "no execution underway" : state.lastFailed() == null ? "no failed step"
                    : "step " + state.lastFailed()
                    + " failed last") + "; only that step can be retried. Nothing was changed");
        }
        try {
            ctx.detached(stepId).forget();
        } catch (TransportException e) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "--retry-step " + stepId + ": " + e.getMessage()
                    + ". Nothing was changed");
        }
        ctx.out().printf("  retry  %s: its earlier run on the host was cleared%n", stepId);
        return null;
    }
}
