package io.pgmigrate.execute;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.execute.JournalEntry.Event;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.DetachedCommand;

import java.util.List;

/**
 * Runs a blue/green plan (strategy logical) by its rollback rules:
 * <ul>
 *   <li>until the cutover, blue serves and holds every write: a failure (or {@code pgmigrate rollback}) drops what
 *   was created and removes green ({@link BlueGreenTeardown});</li>
 *   <li>inside the cutover, before clients are switched: a failed or timed-out step, or a run killed in it,
 *   abandons the cutover ({@link CutoverUndo}): clients resume on blue and replication goes on, so the cutover can
 *   be tried again with execute;</li>
 *   <li>from the switch on, clients work on green and reverse replication keeps blue current: a failure stops
 *   with clients resumed on green; {@code pgmigrate rollback} is the plan's reverse cutover, abandoned the same
 *   way when it fails before its own switch;</li>
 *   <li>{@code pgmigrate cleanup} drops the replication objects on both sides once clients are switched (or were
 *   switched back); before the switch, rollback is the way to drop them.</li>
 * </ul>
 */
public final class BlueGreenExecutor implements Execution {
    /** How the journal marks a rollback that was the reverse cutover (clients back on blue). */
    static final String REVERSE = "reverse cutover";
    private static final String UNDO_NOTHING = "nothing needed undoing";
    private static final String TEARDOWN_NOTHING = "nothing had changed";
    /** Why execute refuses once the reverse cutover completed. */
    public static final String REVERSED = "this plan's execution was rolled back by the reverse cutover: clients work"
            + " on blue. Run pgmigrate cleanup, then make and review a new plan. Nothing was changed";

    private final ExecutionContext ctx;
    private final Journal journal;
    private final ActionRunner runner;
    private final StepAttempt attempt;

    BlueGreenExecutor(ExecutionContext ctx, Journal journal) {
        this.ctx = ctx;
        this.journal = journal;
        this.runner = new ActionRunner(ctx);
        this.attempt = new StepAttempt(ctx, journal, runner);
    }

    @Override
    public Executor.Result run(String retryStep) {
        if (retryStep != null) {
            return result(ExitCode.BAD_INPUT, "--retry-step is for the in-place upgrade; a blue/green execution runs a"
                    + " failed step again by itself when you run execute again. Nothing was changed");
        }
        JournalState state = state();
        if (reversed()) {
            return result(ExitCode.STEP_FAILED, REVERSED);
        }
        if (rollbackIncomplete()) {
            return result(ExitCode.STEP_FAILED, "a rollback of this execution did not complete (see pgmigrate status):"
                    + " run pgmigrate rollback again to finish it. Nothing was changed");
        }
        if (CutoverUndo.open(phase("rollback"), state)) {
            return result(ExitCode.STEP_FAILED, "a reverse cutover (pgmigrate rollback) is underway and has not"
                    + " switched clients: run pgmigrate rollback again to finish it. Nothing was changed");
        }
        attempt.log(Event.EXECUTION_STARTED, null, null, "pid " + ProcessHandle.current().pid());
        try (runner) {
            if (CutoverUndo.open(phase("cutover"), state)) {
                ctx.out().println("  an earlier run stopped inside the cutover, before clients were switched:"
                        + " abandoning it first");
                UndoOutcome undone = new CutoverUndo(ctx, runner, attempt).undo(phase("cutover"),
                        phase("rollback"), state);
                if (!undone.failed().isEmpty()) {
                    return failed(null, "the interrupted cutover could not be abandoned: " + undone.describe(UNDO_NOTHING)
                            + ". Repair the cause and run execute again: it completes the undo first");
                }
                state = state();
            }
            for (Phase phase : ctx.plan().phases()) {
                if (phase.id().equals("rollback") || phase.id().equals("cleanup")) {
                    continue;
                }
                for (Step step : phase.steps()) {
                    Executor.Result stop = step(phase, step, state);
                    if (stop != null) {
                        return stop;
                    }
                }
            }
        }
        attempt.log(Event.EXECUTION_FINISHED, null, null, outage("cutover"));
        return result(ExitCode.SUCCESS, "executed: clients work on green (PostgreSQL " + ctx.inventory().target()
                .version() + ", port " + ctx.inventory().target().port() + "); " + outage("cutover")
                + "; reverse replication keeps blue current."
                + " pgmigrate rollback goes back to blue without losing a write; pgmigrate cleanup ends replication");
    }

    /** Runs one step of execute; the execution's result when it stops here. */
    private Executor.Result step(Phase phase, Step step, JournalState state) {
        if (state.isFinished(step.id())) {
            ctx.out().printf("  done   %s (in an earlier run)%n", step.id());
            return null;
        }
        StepAttempt.Resume resume = attempt.resume(step, state);
        if (resume == StepAttempt.Resume.DONE) {
            return null;
        }
        if (resume == StepAttempt.Resume.UNKNOWN) {
            return result(ExitCode.STEP_FAILED, "step " + step.id() + " was interrupted in an earlier run and"
                    + " pgmigrate cannot tell its effect: " + attempt.unknownReason() + ". Nothing was changed now;"
                    + " pgmigrate rollback drops what was created and removes green");
        }
        try {
            attempt.run(step, null);
            return null;
        } catch (StepAttempt.Failed e) {
            Executor.Result r = afterFailure(phase, step, e.getMessage(), e.verification);
            return e.verification ? result(ExitCode.VERIFICATION_FAILED, r.summary()) : r;
        }
    }

    /** Where a failed step leaves the execution, by the rollback rules. */
    private Executor.Result afterFailure(Phase phase, Step step, String why, boolean verification) {
        JournalState now = state();
        if (now.isFinished(CutoverUndo.switchOf(phase("cutover")).id())) {
            String resumed = resumeOpenFreezes(now);
            if (verification) {
                return failed(step.id(), "step " + step.id() + " failed: " + why + ". Clients work on green" + resumed
                        + ", and green does not hold what blue held. Run pgmigrate rollback: the reverse cutover"
                        + " returns clients to blue, which reverse replication has kept current with every write"
                        + " green took since (journal " + journal.file() + ")");
            }
            return failed(step.id(), "step " + step.id() + " failed: " + why + ". Clients work on green" + resumed
                    + " and reverse replication keeps blue current. Repair the cause and run execute again to"
                    + " finish, or run pgmigrate rollback to go back to blue (journal " + journal.file() + ")");
        }
        if (phase.id().equals("cutover")) {
            UndoOutcome undone = new CutoverUndo(ctx, runner, attempt).undo(phase, phase("rollback"), now);
            return failed(step.id(), "step " + step.id() + " failed: " + why + ". The cutover was abandoned ("
                    + undone.describe(UNDO_NOTHING) + "): " + (undone.failed().isEmpty() ? "clients work on blue as before and"
                    + " green keeps replicating. Repair the cause and run execute again to try the cutover again, or"
                    + " pgmigrate rollback to drop replication and green" : "repair the cause and run execute"
                    + " again: it completes the undo first") + " (journal " + journal.file() + ")");
        }
        // blue first answers again (a failed restart may have left it down), then paused clients are let through
        UndoOutcome back = teardown(step.id(), why, now);
        resumeOpenFreezes(now);
        return failed(step.id(), "step " + step.id() + " failed: " + why + ". Rolled back: " + back.describe(TEARDOWN_NOTHING)
                + (back.failed().isEmpty() ? "; blue serves as before (wal_level stays logical). Repair the cause"
                + " and run execute again" : ". Blue serves; run pgmigrate rollback to finish the rest") + " (journal "
                + journal.file() + ")");
    }

    @Override
    public Executor.Result rollback() {
        if (reversed()) {
            return result(ExitCode.SUCCESS, "rolled back already by the reverse cutover: clients work on blue");
        }
        JournalState state = state();
        if (state.began().isEmpty() && !rollbackIncomplete()) {
            return result(ExitCode.SUCCESS, "nothing to roll back: no step of plan " + ctx.plan().name() + " has run"
                    + (state.rolledBack() ? " since the last rollback" : "") + "; blue is as it was");
        }
        if (state.interrupted() != null && !state.interrupted().startsWith("rollback.")) {
            Step s = ctx.plan().step(state.interrupted()).orElse(null);
            if (s != null && s.action() instanceof Action.RunCommand
                    && ctx.detached(s.id(), s.host()).status().state() == DetachedCommand.State.RUNNING) {
                return result(ExitCode.STEP_FAILED, "cannot roll back yet: step " + s.id() + " is still running."
                        + " Nothing was changed; wait for it (pgmigrate status), then run rollback again");
            }
        }
        try (runner) {
            if (!state.isFinished(CutoverUndo.switchOf(phase("cutover")).id())) {
                if (CutoverUndo.open(phase("cutover"), state)) {
                    UndoOutcome undone = new CutoverUndo(ctx, runner, attempt).undo(phase("cutover"),
                            phase("rollback"), state);
                    ctx.out().println("  cutover abandoned: " + undone.describe(UNDO_NOTHING));
                    state = state();
                }
                UndoOutcome back = teardown(null, "pgmigrate rollback", state);
                resumeOpenFreezes(state);
                return result(back.failed().isEmpty() ? ExitCode.SUCCESS : ExitCode.STEP_FAILED, "rolled back: "
                        + back.describe(TEARDOWN_NOTHING) + (back.failed().isEmpty() ? "; blue serves as before (wal_level stays"
                        + " logical)" : ". Do what was not done by hand (run rollback again); blue serves"));
            }
            return new ReverseCutover().run(state);
        }
    }

    /** {@code pgmigrate rollback} after the switch: the plan's rollback phase, abandoned when it fails before its switch. */
    private final class ReverseCutover {
        Executor.Result run(JournalState state) {
            Phase rollback = phase("rollback");
            if (CutoverUndo.open(rollback, state)) {
                ctx.out().println("  an earlier reverse cutover stopped before its switch: abandoning it first");
                UndoOutcome undone = new CutoverUndo(ctx, runner, attempt).undo(rollback, phase("cutover"),
                        state);
                if (!undone.failed().isEmpty()) {
                    return result(ExitCode.STEP_FAILED, "the interrupted reverse cutover could not be abandoned: "
                            + undone.describe(UNDO_NOTHING) + ". Repair the cause and run rollback again: it completes the undo first");
                }
                state = state();
            }
            attempt.log(Event.ROLLBACK_STARTED, null, null, REVERSE + ": pgmigrate rollback");
            for (Step step : rollback.steps()) {
                if (state.isFinished(step.id())) {
                    continue;
                }
                try {
                    attempt.run(step, null);
                } catch (StepAttempt.Failed e) {
                    return failedReverse(rollback, step, e.getMessage());
                }
            }
            attempt.log(Event.ROLLBACK_FINISHED, null, null, REVERSE + ": clients work on blue; " + outage("rollback"));
            return result(ExitCode.SUCCESS, "rolled back by the reverse cutover (" + outage("rollback") + "): clients"
                    + " work on blue, which holds"
                    + " every write green took; green is fenced. pgmigrate cleanup drops the replication objects");
        }

        private Executor.Result failedReverse(Phase rollback, Step step, String why) {
            JournalState now = state();
            if (now.isFinished(CutoverUndo.switchOf(rollback).id())) {
                String resumed = resumeOpenFreezes(now);
                attempt.log(Event.ROLLBACK_FAILED, step.id(), null, why);
                return result(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + ". Clients work on"
                        + " blue" + resumed + "; run rollback again to finish the reverse cutover (journal "
                        + journal.file() + ")");
            }
            UndoOutcome undone = new CutoverUndo(ctx, runner, attempt).undo(rollback, phase("cutover"), now);
            attempt.log(Event.ROLLBACK_FAILED, step.id(), null, why + "; abandoned: " + undone.describe(UNDO_NOTHING));
            return result(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + ". The reverse cutover was"
                    + " abandoned (" + undone.describe(UNDO_NOTHING) + "): " + (undone.failed().isEmpty() ? "clients work on green"
                    + " as before and blue is kept current. Repair the cause and run rollback again"
                    : "repair the cause and run rollback again: it completes the undo first") + " (journal " + journal.file() + ")");
        }
    }

    @Override
    public Executor.Result cleanup() {
        JournalState state = state();
        Phase cleanup = phase("cleanup");
        if (CutoverUndo.open(phase("cutover"), state) || CutoverUndo.open(phase("rollback"), state)) {
            return result(ExitCode.STEP_FAILED, "cannot clean up: a cutover is underway and has not switched clients;"
                    + " run execute (or rollback) again first. Nothing was changed");
        }
        boolean switched = state.isFinished(CutoverUndo.switchOf(phase("cutover")).id());
        boolean reversed = reversed();
        boolean replicating = phase("replicate").steps().stream().anyMatch(s -> state.began(s.id()));
        if (!switched && !reversed && (replicating || rollbackIncomplete())) {
            return result(ExitCode.STEP_FAILED, "cannot clean up: clients were never switched to green, and blue"
                    + " replicates to it. Run execute to go on, or pgmigrate rollback to drop replication and green."
                    + " Nothing was changed");
        }
        if (!switched && !reversed) {
            return result(ExitCode.SUCCESS, "nothing to clean up: no replication of this migration runs (a rollback"
                    + " removed it with green, or it was never created); blue serves");
        }
        if (cleanup.steps().stream().allMatch(s -> state.isFinished(s.id()))) {
            return result(ExitCode.SUCCESS, "cleaned up already: no subscription, publication or slot of this"
                    + " migration is left");
        }
        try (runner) {
            for (Step step : cleanup.steps()) {
                if (state.isFinished(step.id())) {
                    continue;
                }
                try {
                    attempt.run(step, null);
                } catch (StepAttempt.Failed e) {
                    return result(ExitCode.STEP_FAILED, "cleanup step " + step.id() + " failed: " + e.getMessage()
                            + ". Nothing else was affected; repair the cause and run cleanup again (journal "
                            + journal.file() + ")");
                }
            }
        }
        return result(ExitCode.SUCCESS, "cleaned up: no subscription, publication or slot of this migration is"
                + " left on either side. " + (reversed ? "Blue serves; green is fenced and no longer kept current:"
                + " stop and remove it when you no longer need it" : switched ? "Green serves; blue is fenced and no"
                + " longer kept current, so the way back is a backup now: stop blue when you no longer need it"
                : "Blue serves as before"));
    }

    private UndoOutcome teardown(String failedStep, String why, JournalState state) {
        attempt.log(Event.ROLLBACK_STARTED, failedStep, null, why);
        UndoOutcome back = new BlueGreenTeardown(ctx, runner).run(state);
        attempt.log(back.failed().isEmpty() ? Event.ROLLBACK_FINISHED : Event.ROLLBACK_FAILED, null, null,
                back.describe(TEARDOWN_NOTHING));
        return back;
    }

    /** Clients never stay paused ({@link PausedClients}); a note for the message. */
    private String resumeOpenFreezes(JournalState state) {
        return PausedClients.resume(ctx, runner, state);
    }

    private boolean reversed() {
        return reversed(journal.file());
    }

    /** Whether the journal shows the reverse cutover completed (clients were switched back to blue). */
    public static boolean reversed(java.nio.file.Path journalFile) {
        return Journal.read(journalFile).stream().anyMatch(e -> e.event() == Event.ROLLBACK_FINISHED
                && e.detail() != null && e.detail().startsWith(REVERSE));
    }

    /** "write outage N s (freeze to resume)" of the phase's last attempt, from the journal. */
    private String outage(String phase) {
        java.time.Duration d = MeasuredOutage.byPhase(ctx.plan(), Journal.read(journal.file())).get(phase);
        return d == null ? "write outage not measured" : String.format(java.util.Locale.ROOT,
                "write outage %.1f s (from the freeze until clients could write again)", d.toMillis() / 1000.0);
    }

    /** Whether a rollback before the switch (the teardown) was started and has not completed since. */
    private boolean rollbackIncomplete() {
        boolean open = false;
        for (JournalEntry e : Journal.read(journal.file())) {
            if (e.event() == Event.ROLLBACK_STARTED) {
                open = e.detail() == null || !e.detail().startsWith(REVERSE);
            } else if (e.event() == Event.ROLLBACK_FINISHED) {
                open = false;
            }
        }
        return open;
    }

    private JournalState state() {
        return JournalState.of(Journal.read(journal.file()));
    }

    private Phase phase(String id) {
        return ctx.plan().phases().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("a blue/green plan without phase " + id));
    }

    private Executor.Result failed(String step, String summary) {
        attempt.log(Event.EXECUTION_FAILED, step, null, summary);
        return result(ExitCode.STEP_FAILED, summary);
    }

    private static Executor.Result result(ExitCode code, String summary) {
        return new Executor.Result(code, summary);
    }
}
