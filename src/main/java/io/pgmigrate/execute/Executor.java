package io.pgmigrate.execute;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.Redact;
import io.pgmigrate.execute.JournalEntry.Event;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.DetachedCommand;

import java.time.Instant;
import java.util.List;

/**
 * Runs a plan's steps in order, journaling before and after each. Finished steps (from an earlier,
 * interrupted execution) are skipped; only retry-safe steps are retried, with backoff. A failure before
 * the point of no return rolls back to a running old cluster; after it, the executor stops and says where
 * things stand. pgbouncer is resumed on any failure once it was paused. The cleanup phase only runs on an
 * explicit {@code pgmigrate cleanup}.
 */
public final class Executor implements Execution {
    private final ExecutionContext ctx;
    private final Journal journal;
    private final ActionRunner runner;
    private final StepAttempt attempt;
    private final NoReturn noReturn;
    /** Whether a step marked as the point of no return has done its work (in this run or an earlier one). */
    private boolean pastNoReturn;

    public Executor(ExecutionContext ctx, Journal journal) {
        this.ctx = ctx;
        this.journal = journal;
        this.runner = new ActionRunner(ctx);
        this.attempt = new StepAttempt(ctx, journal, runner);
        this.noReturn = new NoReturn(ctx);
    }

    public record Result(ExitCode exitCode, String summary) {
    }

    public Result run() {
        return run(null);
    }

    /**
     * @param retryStep the step the journal shows failed, whose finished run on the host is to be cleared so
     *                  that it runs again (the DBA repaired the cause); null: none
     */
    public Result run(String retryStep) {
        JournalState state = JournalState.of(Journal.read(journal.file()));
        if (retryStep != null) {
            Result refused = clearForRetry(retryStep, state);
            if (refused != null) {
                return refused;
            }
        }
        log(Event.EXECUTION_STARTED, null, null, null, "pid " + ProcessHandle.current().pid()
                + (retryStep == null ? "" : "; " + retryStep + " to run again (--retry-step)"));
        try (runner) {
            for (Phase phase : ctx.plan().phases()) {
                if (phase.id().equals("cleanup")) {
                    continue;
                }
                for (Step step : phase.steps()) {
                    Result stop = step(step, state);
                    if (stop != null) {
                        return stop;
                    }
                }
            }
        }
        log(Event.EXECUTION_FINISHED, null, null, null, null);
        return new Result(ExitCode.SUCCESS, "executed: the new cluster serves on port " + ctx.commands().port()
                + "; the old cluster is kept until pgmigrate cleanup");
    }

    /** Runs one step (or skips it when an earlier run finished it); returns the execution's result when it stops here. */
    private Result step(Step step, JournalState state) {
        boolean marksNoReturn = step.marker() == Marker.POINT_OF_NO_RETURN;
        if (state.isFinished(step.id()) && retake(step, state)) {
            ctx.out().printf("  again  %s: the snapshot it held ended with the earlier run%n", step.id());
        } else if (state.isFinished(step.id())) {
            ctx.out().printf("  done   %s (in an earlier run)%n", step.id());
            pastNoReturn |= marksNoReturn;
            return null;
        }
        StepAttempt.Resume resume = attempt.resume(step, state);
        if (resume == StepAttempt.Resume.DONE) {
            pastNoReturn |= marksNoReturn;
            return null;
        }
        if (resume == StepAttempt.Resume.UNKNOWN) {
            return new Result(ExitCode.STEP_FAILED, "step " + step.id() + " was interrupted in an earlier"
                    + " run and pgmigrate cannot tell its effect on " + ctx.shell().describe() + ": "
                    + attempt.unknownReason() + ". Nothing was changed now; after that, run execute again");
        }
        String before = marksNoReturn ? noReturn.before(step) : null;
        try {
            attempt.run(step, before == null ? null : NoReturn.BEFORE + before);
            pastNoReturn |= marksNoReturn;
            return null;
        } catch (StepAttempt.Failed e) {
            String why = e.getMessage();
            String closed = pastNoReturn ? "it comes after the point of no return"
                    : marksNoReturn ? noReturn.crossed(step, before) : null;
            if (marksNoReturn && closed == null) {
                ctx.out().printf("  %s failed before it crossed the point of no return (checked on the host)%n",
                        step.id());
            }
            Result stop = stopAt(step, why, closed);
            return e.verification ? new Result(ExitCode.VERIFICATION_FAILED, stop.summary()) : stop;
        }
    }

    /**
     * {@code pgmigrate rollback}: back to the running old cluster from wherever an execution stopped, failed
     * or was killed, as long as the point of no return was not crossed; otherwise nothing is touched and
     * the result says why.
     */
    public Result rollback() {
        List<JournalEntry> entries = Journal.read(journal.file());
        JournalState state = JournalState.of(entries);
        String closed = noReturn.closedBy(steps(), entries);
        if (closed != null) {
            return new Result(ExitCode.STEP_FAILED, "cannot roll back: " + closed + ". Nothing was changed. The"
                    + " way back now is a backup or a standby (see the plan's rollback rules); to go forward, run"
                    + " execute again");
        }
        if (state.interrupted() != null) {
            DetachedCommand.Status st = ctx.detached(state.interrupted()).status();
            if (st.state() == DetachedCommand.State.RUNNING) {
                return new Result(ExitCode.STEP_FAILED, "cannot roll back yet: step " + state.interrupted()
                        + " is still running on " + ctx.shell().describe() + ". Nothing was changed; wait for it"
                        + " (pgmigrate status), then run rollback or execute again");
            }
        }
        resumeClients();
        try {
            return new Result(ExitCode.SUCCESS, "rolled back: " + rollBack(null, "pgmigrate rollback", state)
                    + "; the old cluster serves as before");
        } catch (StepFailure e) {
            return new Result(ExitCode.STEP_FAILED, "the rollback failed: " + e.getMessage() + ". " + startByHand());
        }
    }

    /**
     * {@code pgmigrate cleanup}: the plan's cleanup phase (deleting the old cluster), only after the
     * execution completed and only while the new cluster answers as the target version.
     */
    public Result cleanup() {
        JournalState state = JournalState.of(Journal.read(journal.file()));
        Phase cleanup = ctx.plan().phases().stream().filter(p -> p.id().equals("cleanup")).findFirst().orElse(null);
        if (cleanup == null || cleanup.steps().isEmpty()) {
            return new Result(ExitCode.SUCCESS, "this plan has no cleanup steps");
        }
        if (!state.ended()) {
            return new Result(ExitCode.STEP_FAILED, "cannot clean up: the execution of this plan has not completed"
                    + " (see pgmigrate status); the old cluster is the way back until it has. Nothing was changed");
        }
        if (cleanup.steps().stream().allMatch(st -> state.isFinished(st.id()))) {
            return new Result(ExitCode.SUCCESS, "cleaned up already: the old cluster was deleted");
        }
        String serving = runner.targetServes();
        if (serving != null) {
            return new Result(ExitCode.STEP_FAILED, "cannot clean up: " + serving + "; the old cluster stays until"
                    + " the new one serves. Nothing was changed");
        }
        pastNoReturn = true; // the execution completed: whatever fails now, nothing is rolled back
        for (Step step : cleanup.steps()) {
            Result stop = step(step, state);
            if (stop != null) {
                return stop;
            }
        }
        return new Result(ExitCode.SUCCESS, "cleaned up: the old cluster's data files were deleted");
    }

    /**
     * {@code --retry-step}: only the step the journal shows failed last, and only when its program does not
     * run any more; its finished run's files on the host are removed so that it starts afresh. Returns the
     * refusal (nothing changed), or null.
     */
    private Result clearForRetry(String stepId, JournalState state) {
        if (!stepId.equals(state.lastFailed())) {
            return new Result(ExitCode.BAD_INPUT, "--retry-step " + stepId + ": the journal " + journal.file()
                    + " shows " + (state.lastFailed() == null ? "no failed step" : "step " + state.lastFailed()
                    + " failed last") + "; only that step can be retried. Nothing was changed");
        }
        try {
            ctx.detached(stepId).forget();
        } catch (io.pgmigrate.transport.TransportException e) {
            return new Result(ExitCode.STEP_FAILED, "--retry-step " + stepId + ": " + e.getMessage()
                    + ". Nothing was changed");
        }
        ctx.out().printf("  retry  %s: its earlier run on the host was cleared%n", stepId);
        return null;
    }

    /**
     * A snapshot for the data comparison is held in memory and ended with the run that took it: when the
     * step after it has not finished either (clients were not resumed since), it is taken again.
     */
    private boolean retake(Step step, JournalState state) {
        if (!(step.action() instanceof Action.Verify v) || v.stage() != Action.Verify.Stage.SNAPSHOT) {
            return false;
        }
        List<Step> all = steps();
        int next = all.indexOf(step) + 1;
        return next < all.size() && !state.isFinished(all.get(next).id());
    }

    private List<Step> steps() {
        return ctx.plan().phases().stream().flatMap(p -> p.steps().stream()).toList();
    }

    /** After a failure: roll back when the way back is open ({@code closed} null), else say where things stand. */
    private Result stopAt(Step step, String why, String closed) {
        resumeClients();
        if (step.id().startsWith("cleanup.")) {
            return new Result(ExitCode.STEP_FAILED, "cleanup step " + step.id() + " failed: " + why + ". The new"
                    + " cluster is not affected. Repair the cause, remove " + ctx.stepStateDir() + "/" + step.id()
                    + ".* on the host, and run cleanup again (journal " + journal.file() + ")");
        }
        if (closed != null) {
            log(Event.EXECUTION_FAILED, step.id(), null, null, why + " (no rollback: " + closed + ")");
            return new Result(ExitCode.STEP_FAILED, "step " + step.id() + " failed at or after the point of no return ("
                    + closed + "), so nothing was rolled back: " + why + ". The old cluster must not be started again; the way back"
                    + " is a backup or a standby (see the plan's rollback rules). To go forward instead, repair the"
                    + " cause by hand, then run execute again with --retry-step " + step.id() + " (journal "
                    + journal.file() + ")");
        }
        try {
            return new Result(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + ". Rolled back: "
                    + rollBack(step.id(), why, JournalState.of(Journal.read(journal.file())))
                    + "; the old cluster serves as before");
        } catch (StepFailure e) {
            return new Result(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + "; the rollback failed too: "
                    + e.getMessage() + ". " + startByHand());
        }
    }

    /**
     * The way back, journaled: after {@code failedStep} (null: asked for with pgmigrate rollback). Returns
     * what was done, for the message; a failure is journaled and thrown on.
     */
    private String rollBack(String failedStep, String detail, JournalState state) {
        log(Event.ROLLBACK_STARTED, failedStep, null, null, detail);
        try {
            List<String> done = new Rollback(ctx).run(state);
            log(Event.ROLLBACK_FINISHED, null, null, null, String.join("; ", done));
            return done.isEmpty() ? "nothing had changed" : String.join(", ", done);
        } catch (StepFailure e) {
            log(Event.ROLLBACK_FAILED, null, null, null, e.getMessage());
            throw e;
        }
    }

    private String startByHand() {
        return "Start the old cluster by hand (" + String.join(" ", ctx.commands().startOld()) + ") (journal "
                + journal.file() + ")";
    }

    /** Clients never stay paused ({@link PausedClients}). */
    private void resumeClients() {
        PausedClients.resume(ctx, runner, JournalState.of(Journal.read(journal.file())));
    }

    private void log(Event event, String step, Integer exit, Long millis, String detail) {
        journal.append(new JournalEntry(Instant.now(), event, step, exit, millis, Redact.secrets(detail)));
    }

}
