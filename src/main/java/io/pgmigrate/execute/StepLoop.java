package io.pgmigrate.execute;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent.Recorded;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Step;

import java.util.List;

/**
 * The one step loop every strategy and every command (execute, rollback's reverse cutover, cleanup) runs: skip what
 * finished, ask the host about what was interrupted, run with retries where safe, and hand a failure to the
 * strategy's {@link Policy}, which alone decides what happens then.
 */
public final class StepLoop {
    /** The strategy-specific part: what is recorded before a step, what a finished step means, what a failure does. */
    public interface Policy {
        /** What the journal records when the step starts, to judge it later. */
        default Recorded record(Step step) {
            return Recorded.NOTHING;
        }

        /** A finished step (run now, in an earlier run, or found done on the host): its consequences, journaled. */
        default void done(Step step, JournalState state) {
        }

        /** A finished step whose effect ended with an earlier run (a held snapshot): run it again. */
        default boolean runAgain(Step step, JournalState state) {
            return false;
        }

        /** Checked before the step runs (not when it is skipped): why the execution must stop here, or null. */
        default ExecutionResult precondition(Step step, JournalState state) {
            return null;
        }

        /** The step failed (after its retries): where that leaves the execution. */
        ExecutionResult failed(Step step, StepAttempt.Failed failure);

        /** An interrupted step whose effect pgmigrate cannot tell: nothing was changed now. */
        ExecutionResult unknown(Step step, String reason);

        /** The journal could not be written around the step. */
        ExecutionResult journalFailed(Step step, Journal.WriteFailed failure);
    }

    private final ExecutionContext ctx;
    private final Journal journal;
    private final StepAttempt attempt;

    public StepLoop(ExecutionContext ctx, Journal journal, StepAttempt attempt) {
        this.ctx = ctx;
        this.journal = journal;
        this.attempt = attempt;
    }

    /** Runs the steps in order; null when every one is done, else the policy's result where it stopped. */
    public ExecutionResult run(List<Step> steps, Policy policy) {
        for (Step step : steps) {
            ExecutionResult stop = step(step, policy);
            if (stop != null) {
                return stop;
            }
        }
        return null;
    }

    private ExecutionResult step(Step step, Policy policy) {
        try {
            JournalState state = journal.state();
            if (state.isFinished(step.id())) {
                if (!policy.runAgain(step, state)) {
                    ctx.out().printf("  done   %s (in an earlier run)%n", step.id());
                    policy.done(step, state);
                    return null;
                }
                ctx.out().printf("  again  %s: what it held ended with the earlier run%n", step.id());
            }
            StepAttempt.Resume resume = attempt.resume(step, state);
            if (resume == StepAttempt.Resume.DONE) {
                policy.done(step, journal.state());
                return null;
            }
            if (resume == StepAttempt.Resume.UNKNOWN) {
                return policy.unknown(step, attempt.unknownReason());
            }
            ExecutionResult refused = policy.precondition(step, state);
            if (refused != null) {
                return refused;
            }
            String foreign = ClusterGuard.beforeRemoval(ctx, step, state);
            if (foreign != null) {
                return ExecutionResult.of(io.pgmigrate.core.ExitCode.STEP_FAILED, "step " + step.id() + " refused: "
                        + foreign);
            }
            attempt.run(step, policy.record(step));
            policy.done(step, journal.state());
            return null;
        } catch (StepAttempt.Failed e) {
            return policy.failed(step, e);
        } catch (Journal.WriteFailed e) {
            return policy.journalFailed(step, e);
        }
    }
}
