package io.pgmigrate.execute;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.pgmigrate.core.Redact;
import io.pgmigrate.execute.JournalEntry.Event;
import io.pgmigrate.plan.Step;

import java.time.Duration;
import java.time.Instant;

/**
 * One step run by the rules both executors share: journaled when it starts and when it ends, retried with backoff
 * only when it is retry-safe (a failed comparison is never retried), and, when an earlier run was interrupted in
 * it and it is not retry-safe, asked on the host first whether it is done ({@link CompletionProbe}).
 */
final class StepAttempt {
    /** What an interrupted step that is not retry-safe turned out to be. */
    enum Resume { RUN, DONE, UNKNOWN }

    /** A step that failed: why (one line), and whether it was a failed comparison (exit 5, not retried). */
    static final class Failed extends RuntimeException {
        final boolean verification;

        Failed(String why, boolean verification) {
            super(why, null, false, false);
            this.verification = verification;
        }
    }

    private final ExecutionContext ctx;
    private final Journal journal;
    private final ActionRunner runner;
    /** Why the last {@link #resume} answered UNKNOWN. */
    private String unknownReason;

    StepAttempt(ExecutionContext ctx, Journal journal, ActionRunner runner) {
        this.ctx = ctx;
        this.journal = journal;
        this.runner = runner;
    }

    /** For a step an earlier run was interrupted in: RUN it (again), it is DONE (journaled so), or UNKNOWN. */
    Resume resume(Step step, JournalState state) {
        if (!step.id().equals(state.interrupted()) || step.retrySafe()) {
            return Resume.RUN;
        }
        CompletionProbe.Status st = new CompletionProbe(ctx).status(step);
        ctx.out().printf("  resume %s was interrupted: %s%n", step.id(), st.reason());
        switch (st.verdict()) {
            case DONE:
                log(Event.STEP_FINISHED, step.id(), null, "found done on resume: " + st.reason());
                return Resume.DONE;
            case UNKNOWN:
                unknownReason = st.reason();
                log(Event.EXECUTION_FAILED, step.id(), null, st.reason());
                return Resume.UNKNOWN;
            default:
                return Resume.RUN;
        }
    }

    String unknownReason() {
        return unknownReason;
    }

    /**
     * Runs the step, journaled; {@code startDetail} goes into the started entry. Returns the note of the finished
     * step; throws {@link Failed} (journaled as failed) when it failed, after its retries.
     */
    String run(Step step, String startDetail) {
        ctx.out().printf("  run    %s: %s%n", step.id(), step.title());
        ctx.out().flush();
        Instant start = Instant.now();
        log(Event.STEP_STARTED, step.id(), null, startDetail);
        try {
            String note = retried(step)
                    ? Failsafe.with(RetryPolicy.<String>builder()
                            .handleIf(e -> e instanceof StepFailure && !(e instanceof VerifyStep.VerificationFailed))
                            .withMaxAttempts(3)
                            .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10)).build()).get(() -> runner.run(step))
                    : runner.run(step);
            log(Event.STEP_FINISHED, step.id(), Duration.between(start, Instant.now()).toMillis(), note);
            return note;
        } catch (StepFailure | dev.failsafe.FailsafeException e) {
            String why = e instanceof StepFailure ? e.getMessage() : String.valueOf(e.getCause());
            log(Event.STEP_FAILED, step.id(), Duration.between(start, Instant.now()).toMillis(), why);
            throw new Failed(why, e instanceof VerifyStep.VerificationFailed);
        }
    }

    /**
     * Retry-safe steps are retried, except a wait while clients cannot write: it failed because its timeout passed,
     * and waiting again would hold the outage for several timeouts instead of the one the plan promises.
     */
    static boolean retried(Step step) {
        boolean waits = step.action() instanceof io.pgmigrate.plan.Action.WaitFor
                || step.action() instanceof io.pgmigrate.plan.Action.WaitForReplication;
        return step.retrySafe() && !(waits && step.inOutage());
    }

    void log(Event event, String step, Long millis, String detail) {
        journal.append(new JournalEntry(Instant.now(), event, step, null, millis, Redact.secrets(detail)));
    }
}
