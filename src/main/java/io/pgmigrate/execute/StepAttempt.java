package io.pgmigrate.execute;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.pgmigrate.core.Redact;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalEvent.Failure;
import io.pgmigrate.journal.JournalEvent.Recorded;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;

/**
 * One step run by the rules every strategy shares: journaled when it starts (with what the strategy recorded) and when
 * it ends, retried with backoff only when it is retry-safe (a failed comparison never; inside the outage all tries
 * together within the step's timeout), and, when an earlier run was interrupted in it and it is not retry-safe, asked
 * on the host first whether it is done ({@link CompletionProbe}).
 */
public final class StepAttempt {
    /** What an interrupted step that is not retry-safe turned out to be. */
    public enum Resume { RUN, DONE, UNKNOWN }

    /** A step that failed: why (one line), and how (a failed comparison exits 5 and is not retried). */
    public static final class Failed extends RuntimeException {
        private final Failure failure;

        Failed(String why, Failure failure) {
            super(why, null, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }

        public boolean verification() {
            return failure == Failure.VERIFICATION || failure == Failure.VERIFICATION_AT_FROZEN_POINT;
        }
    }

    private final ExecutionContext ctx;
    private final Journal journal;
    private final StepRunner runner;
    private final CompletionProbe probe;
    /** Why the last {@link #resume} answered UNKNOWN. */
    private String unknownReason;

    public StepAttempt(ExecutionContext ctx, Journal journal, StepRunner runner, CompletionProbe probe) {
        this.ctx = ctx;
        this.journal = journal;
        this.runner = runner;
        this.probe = probe;
    }

    /** For a step an earlier run was interrupted in: RUN it (again), it is DONE (journaled so), or UNKNOWN. */
    public Resume resume(Step step, JournalState state) {
        if (!step.id().equals(state.interrupted()) || step.retrySafe()) {
            return Resume.RUN;
        }
        CompletionProbe.Status st = probe.status(step, state);
        ctx.out().printf("  resume %s was interrupted: %s%n", step.id(), st.reason());
        switch (st.verdict()) {
            case DONE:
                log(new JournalEvent.StepFinished(now(), step.id(), null, "found done on resume: " + st.reason(), null,
                        true));
                return Resume.DONE;
            case UNKNOWN:
                unknownReason = st.reason();
                log(new JournalEvent.StepFailed(now(), step.id(), null, Redact.secrets(st.reason()),
                        Failure.UNKNOWN_EFFECT));
                return Resume.UNKNOWN;
            default:
                return Resume.RUN;
        }
    }

    public String unknownReason() {
        return unknownReason;
    }

    /**
     * Runs the step, journaled, with {@code recorded} in its started event. Returns its note; throws {@link Failed}
     * (journaled as failed) when it failed, after its retries.
     */
    public String run(Step step, Recorded recorded) {
        ctx.out().printf("  run    %s: %s%n", step.id(), step.title());
        ctx.out().flush();
        Instant start = now();
        log(new JournalEvent.StepStarted(start, step.id(), ClusterGuard.beforeCreate(ctx, step, recorded, journal.state())));
        try {
            StepRunner.Outcome outcome = retried(step) ? Failsafe.with(retryPolicy(step)).get(() -> once(step))
                    : once(step);
            log(new JournalEvent.StepFinished(now(), step.id(), millisSince(start), Redact.secrets(outcome.note()),
                    outcome.walPosition(), false, ClusterGuard.created(ctx, step)));
            return outcome.note();
        } catch (StepFailure | FailsafeException e) {
            StepFailure cause = e instanceof StepFailure f ? f : e.getCause() instanceof StepFailure f ? f
                    : new StepFailure(step.id() + ": " + e.getCause());
            Failure kind = cause instanceof VerifyStep.VerificationFailed v
                    ? (v.atFrozenPoint() ? Failure.VERIFICATION_AT_FROZEN_POINT : Failure.VERIFICATION) : Failure.STEP;
            log(new JournalEvent.StepFailed(now(), step.id(), millisSince(start), Redact.secrets(cause.getMessage()),
                    kind));
            throw new Failed(cause.getMessage(), kind);
        }
    }

    /** One try; a transport failure (a dropped connection, say) is a failure of the step like any other. */
    private StepRunner.Outcome once(Step step) {
        try {
            return runner.run(step);
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    private RetryPolicy<StepRunner.Outcome> retryPolicy(Step step) {
        dev.failsafe.RetryPolicyBuilder<StepRunner.Outcome> b = RetryPolicy.<StepRunner.Outcome>builder()
                .handleIf(e -> e instanceof StepFailure && !(e instanceof VerifyStep.VerificationFailed)
                        && !(e instanceof StepFailure.Persistent))
                .withMaxAttempts(3)
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        if (step.inOutage()) {
            // clients wait: all tries together stay within the step's timeout
            b.withMaxDuration(step.timeout());
        }
        return b.build();
    }

    /**
     * Retry-safe steps are retried, except a wait while clients cannot write: it failed because its timeout passed,
     * and waiting again would hold the outage for several timeouts instead of the one the plan promises.
     */
    static boolean retried(Step step) {
        boolean waits = step.action() instanceof Action.WaitFor || step.action() instanceof Action.WaitForReplication;
        return step.retrySafe() && !(waits && step.inOutage());
    }

    private Long millisSince(Instant start) {
        return Duration.between(start, now()).toMillis();
    }

    private Instant now() {
        return ctx.clock().instant();
    }

    public void log(JournalEvent event) {
        journal.append(event);
    }
}
