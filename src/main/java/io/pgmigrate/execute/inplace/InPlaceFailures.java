package io.pgmigrate.execute.inplace;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.Redact;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionResult;
import io.pgmigrate.execute.OldClusterFence;
import io.pgmigrate.execute.OutageRoom;
import io.pgmigrate.execute.PausedClients;
import io.pgmigrate.execute.StepAttempt;
import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.execute.StepLoop;
import io.pgmigrate.execute.StepRunner;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalEvent.Recorded;
import io.pgmigrate.journal.JournalEvent.RollbackKind;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.util.List;

/**
 * The in-place strategy's part of the step loop: what is recorded before a step (the new cluster's control file
 * before it starts, the old cluster's options before it stops, the host's clock before pg_upgrade), the point of no
 * return journaled the first time it is known, the journal's free space checked before the outage, and a failure's
 * consequence: before the point of no return, back to the old cluster; after it, stop and say where things stand.
 */
final class InPlaceFailures implements StepLoop.Policy {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final ExecutionContext ctx;
    private final Journal journal;
    private final StepRunner runner;
    private final StepAttempt attempt;
    private final NoReturn noReturn;
    private final OldCluster oldCluster;
    private final boolean cleanup;

    /** @param cleanup running pgmigrate cleanup: a failure touches nothing of the new cluster and rolls nothing back */
    InPlaceFailures(ExecutionContext ctx, Journal journal, StepRunner runner, StepAttempt attempt, NoReturn noReturn,
                    OldCluster oldCluster, boolean cleanup) {
        this.ctx = ctx;
        this.journal = journal;
        this.runner = runner;
        this.attempt = attempt;
        this.noReturn = noReturn;
        this.oldCluster = oldCluster;
        this.cleanup = cleanup;
    }

    @Override
    public Recorded record(Step step) {
        JournalEvent.Checkpoint checkpoint = noReturn.before(step);
        String options = step.role() == StepRole.STOP_OLD_CLUSTER ? serverOptions() : null;
        Long hostClock = step.completion() instanceof Completion.OutputFiles ? hostClock() : null;
        JournalEvent.FenceBefore fence = fenceBefore(step);
        return checkpoint == null && options == null && hostClock == null && fence == null ? Recorded.NOTHING
                : new Recorded(checkpoint, hostClock, options, null, fence);
    }

    /**
     * Before the old cluster's fence: how both clusters are set to start at boot, so that a rollback restores exactly
     * that. When the fence runs again, what its first start recorded is kept (the host may be half fenced by now).
     */
    private JournalEvent.FenceBefore fenceBefore(Step step) {
        if (step.role() != StepRole.FENCE_OLD_CLUSTER || !(step.action() instanceof Action.FenceOldCluster f)) {
            return null;
        }
        JournalEvent.FenceBefore earlier = journal.state().recorded(step.id()).fenceBefore();
        if (earlier != null) {
            return earlier;
        }
        try {
            return new OldClusterFence(ctx.shell(step), TIMEOUT).before(f);
        } catch (StepFailure | TransportException e) {
            return null; // the fence cannot read the host either and fails with its own message
        }
    }

    /** How the old cluster runs now (its postmaster.opts), so that going back starts it exactly so; null if unknown. */
    private String serverOptions() {
        try {
            CommandResult r = ctx.shell().run(List.of("cat", "--", ctx.commands().oldData() + "/postmaster.opts"),
                    TIMEOUT);
            return r.ok() ? OldCluster.serverOptions(r.stdout()) : null;
        } catch (TransportException e) {
            return null;
        }
    }

    /** The host's clock in seconds; what the program writes must be newer. */
    private Long hostClock() {
        CommandResult r = ctx.shell().run(List.of("date", "+%s"), TIMEOUT);
        try {
            return r.ok() ? Long.parseLong(r.stdout().strip()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The step marked as the point of no return is done: journaled once, read from then on. */
    @Override
    public void done(Step step, JournalState state) {
        if (step.marker() == Marker.POINT_OF_NO_RETURN && state.crossed() == null) {
            attempt.log(new JournalEvent.PointOfNoReturnCrossed(ctx.clock().instant(), step.id(), "it finished"));
        }
    }

    /**
     * A snapshot for the data comparison is held in memory and ended with the run that took it: when the step after it
     * has not finished either (clients were not resumed since), it is taken again.
     */
    @Override
    public boolean runAgain(Step step, JournalState state) {
        if (!(step.action() instanceof Action.Verify v) || v.stage() != Action.Verify.Stage.SNAPSHOT) {
            return false;
        }
        List<Step> all = ctx.plan().steps();
        int next = all.indexOf(step) + 1;
        return next < all.size() && !state.isFinished(all.get(next).id());
    }

    /** Before the first step of the outage: the journal must have room for what the outage writes. */
    @Override
    public ExecutionResult precondition(Step step, JournalState state) {
        return OutageRoom.check(journal, step, state, ctx.plan().steps());
    }

    @Override
    public ExecutionResult failed(Step step, StepAttempt.Failed failure) {
        String why = failure.getMessage();
        ExecutionResult stop;
        try {
            JournalState state = journal.state();
            String closed = closedAfter(step, state);
            stop = stopAt(step, why, closed);
        } catch (Journal.WriteFailed e) {
            String resumed = resumeClients();
            return ExecutionResult.of(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + "; then "
                    + e.getMessage() + resumed + ". Nothing was rolled back: run pgmigrate status, then execute or"
                    + " rollback again once the journal can be written");
        }
        return failure.verification() ? ExecutionResult.of(ExitCode.VERIFICATION_FAILED, stop.summary()) : stop;
    }

    /**
     * Why the way back is closed after this failure, or null: the journal says so already; or the failed step is the
     * point of no return and crossed it (asked on the host, journaled now, once).
     */
    private String closedAfter(Step step, JournalState state) {
        if (state.crossed() != null) {
            return InPlaceExecution.describe(state.crossed());
        }
        if (step.marker() != Marker.POINT_OF_NO_RETURN) {
            return null;
        }
        String why = noReturn.crossed(step, state.recorded(step.id()).newCluster());
        if (why == null) {
            ctx.out().printf("  %s failed before it crossed the point of no return (checked on the host)%n", step.id());
            return null;
        }
        JournalEvent.PointOfNoReturnCrossed crossed = new JournalEvent.PointOfNoReturnCrossed(ctx.clock().instant(),
                step.id(), Redact.secrets(why));
        attempt.log(crossed);
        return InPlaceExecution.describe(crossed);
    }

    @Override
    public ExecutionResult unknown(Step step, String reason) {
        // clients are not let through while nobody knows which cluster they would reach
        String clients = PausedClients.paused(ctx.plan().steps(), journal.state()) ? " Clients stay paused in"
                + " pgbouncer: once a cluster serves as it should, RESUME them in its admin console (or let execute"
                + " or rollback do it)." : "";
        return ExecutionResult.of(ExitCode.STEP_FAILED, "step " + step.id() + " was interrupted in an earlier run and"
                + " pgmigrate cannot tell its effect on " + ctx.shell(step).describe() + ": " + reason
                + ". Nothing was changed now; after that, run execute again." + clients);
    }

    @Override
    public ExecutionResult journalFailed(Step step, Journal.WriteFailed failure) {
        String resumed = resumeClients();
        return ExecutionResult.of(ExitCode.STEP_FAILED, failure.getMessage() + " (at step " + step.id() + ")"
                + resumed + ". Nothing was rolled back");
    }

    /** After a failure: roll back when the way back is open ({@code closed} null), else say where things stand. */
    private ExecutionResult stopAt(Step step, String why, String closed) {
        String resumed = resumeClients();
        if (cleanup) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "cleanup step " + step.id() + " failed: " + why + ". The"
                    + " new cluster is not affected. Repair the cause and run cleanup again (journal "
                    + journal.file() + ")");
        }
        if (closed != null) {
            attempt.log(new JournalEvent.ExecutionFailed(ctx.clock().instant(), step.id(), Redact.secrets(why)));
            return ExecutionResult.of(ExitCode.STEP_FAILED, "step " + step.id() + " failed after " + closed + ", so"
                    + " nothing was rolled back" + resumed + ": " + why + ". The old cluster must not be started"
                    + " again; the way back is a backup or a standby (see the plan's rollback rules)."
                    + new StandbysBack(ctx).untouched(journal.state())
                    + new PatroniBack(ctx).stillStopped(journal.state()) + " To go forward"
                    + " instead, repair the cause by hand, then run execute again with --retry-step " + step.id()
                    + " (journal " + journal.file() + ")");
        }
        String running = io.pgmigrate.execute.StillRunning.reason(ctx, step);
        if (running != null) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + ". Nothing was"
                    + " rolled back, since " + running + resumed + ": wait for it to end (pgmigrate status), then run"
                    + " pgmigrate rollback, or execute again, which attaches to it (journal " + journal.file() + ")");
        }
        try {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + ". Rolled back: "
                    + rollBack(step.id(), why) + "; the old cluster serves as before" + resumed);
        } catch (StepFailure e) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + "; the rollback"
                    + " failed too: " + e.getMessage() + ". " + startByHand());
        }
    }

    /**
     * The way back, journaled: after {@code failedStep} (null: asked for with pgmigrate rollback). Returns what was
     * done, for the message; a failure is journaled and thrown on.
     */
    String rollBack(String failedStep, String cause) {
        attempt.log(new JournalEvent.RollbackStarted(ctx.clock().instant(), RollbackKind.OLD_CLUSTER, failedStep,
                Redact.secrets(cause)));
        try {
            List<String> done = oldCluster.restore(journal.state());
            attempt.log(new JournalEvent.RollbackFinished(ctx.clock().instant(), RollbackKind.OLD_CLUSTER,
                    String.join("; ", done)));
            return done.isEmpty() ? "nothing had changed" : String.join(", ", done);
        } catch (StepFailure | TransportException e) {
            attempt.log(new JournalEvent.RollbackFailed(ctx.clock().instant(), RollbackKind.OLD_CLUSTER, failedStep,
                    Redact.secrets(e.getMessage())));
            throw e instanceof StepFailure f ? f : new StepFailure("rollback: " + e.getMessage());
        }
    }

    /** How the DBA starts the old cluster by hand: as it ran, with its recorded options. */
    String startByHand() {
        List<String> argv = new java.util.ArrayList<>(ctx.commands().startOld());
        String options = ctx.plan().steps().stream().filter(s -> s.role() == StepRole.STOP_OLD_CLUSTER).findFirst()
                .map(s -> journal.state().recorded(s.id()).serverOptions()).orElse(null);
        if (options != null && !options.isBlank() && ctx.inventory().source().service().kind()
                == io.pgmigrate.inventory.Inventory.ServiceControl.Kind.PG_CTL) {
            argv.addAll(List.of("-o", options));
        }
        return "Start the old cluster by hand (" + io.pgmigrate.transport.ShellQuoting.join(argv) + "), then check"
                + " that it answers at " + ctx.inventory().source().pg().host() + ":" + ctx.inventory().source().pg()
                .port() + " (journal " + journal.file() + ")";
    }

    /** Clients never stay paused ({@link PausedClients}); a note for the message. */
    String resumeClients() {
        return PausedClients.resume(ctx, runner, journal.state());
    }
}
