package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.Redact;
import io.pgmigrate.execute.ActionRunner;
import io.pgmigrate.execute.CompletionProbe;
import io.pgmigrate.execute.Controller;
import io.pgmigrate.execute.Execution;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionResult;
import io.pgmigrate.execute.MeasuredOutage;
import io.pgmigrate.execute.OutageRoom;
import io.pgmigrate.execute.PausedClients;
import io.pgmigrate.execute.StepAttempt;
import io.pgmigrate.execute.StepLoop;
import io.pgmigrate.execute.StillRunning;
import io.pgmigrate.execute.StepRunner;
import io.pgmigrate.execute.UndoOutcome;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalEvent.RollbackKind;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.PhaseKind;
import io.pgmigrate.plan.Step;

import java.util.List;

/**
 * Runs a blue/green plan (strategy logical) through the shared {@link StepLoop}, by its rollback rules:
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
public final class BlueGreenExecution implements Execution {
    static final String UNDO_NOTHING = "nothing needed undoing";
    static final String TEARDOWN_NOTHING = "nothing had changed";
    /** Why execute refuses once the reverse cutover completed. */
    public static final String REVERSED = "this plan's execution was rolled back by the reverse cutover: clients work"
            + " on blue. Run pgmigrate cleanup, then make and review a new plan. Nothing was changed";

    private final ExecutionContext ctx;
    private final Journal journal;
    private final StepRunner runner;
    private final StepAttempt attempt;
    private final StepLoop loop;

    public BlueGreenExecution(ExecutionContext ctx, Journal journal) {
        this(ctx, journal, null);
    }

    /** With the runner given (unit tests give a fake). */
    BlueGreenExecution(ExecutionContext ctx, Journal journal, StepRunner runner) {
        this.ctx = ctx;
        this.journal = journal;
        this.runner = runner != null ? runner : new ActionRunner(ctx, new LogicalActions(ctx), (step, running) ->
                journal.append(new JournalEvent.StepOverdue(ctx.clock().instant(), step.id(), running.toMillis())));
        this.attempt = new StepAttempt(ctx, journal, this.runner, new CompletionProbe(ctx));
        this.loop = new StepLoop(ctx, journal, attempt);
    }

    @Override
    public ExecutionResult run(String retryStep) {
        if (retryStep != null) {
            return result(ExitCode.BAD_INPUT, "--retry-step is for the in-place upgrade; a blue/green execution runs a"
                    + " failed step again by itself when you run execute again. Nothing was changed");
        }
        JournalState state = journal.state();
        if (state.reversed()) {
            return result(ExitCode.STEP_FAILED, REVERSED);
        }
        if (state.rollbackOpen() == RollbackKind.TEARDOWN) {
            return result(ExitCode.STEP_FAILED, "a rollback of this execution did not complete (see pgmigrate status):"
                    + " run pgmigrate rollback again to finish it. Nothing was changed");
        }
        if (CutoverUndo.open(phase(PhaseKind.ROLLBACK), state)) {
            return result(ExitCode.STEP_FAILED, "a reverse cutover (pgmigrate rollback) is underway and has not"
                    + " switched clients: run pgmigrate rollback again to finish it. Nothing was changed");
        }
        try {
            attempt.log(new JournalEvent.ExecutionStarted(ctx.clock().instant(), JournalEvent.FORMAT, ctx.execution(),
                    ctx.plan().digest(), Controller.current(), null));
            try (runner) {
                if (CutoverUndo.open(phase(PhaseKind.CUTOVER), state)) {
                    ctx.out().println("  an earlier run stopped inside the cutover, before clients were switched:"
                            + " abandoning it first");
                    UndoOutcome undone = undo(phase(PhaseKind.CUTOVER), phase(PhaseKind.ROLLBACK), state);
                    if (!undone.failed().isEmpty()) {
                        return failed(null, "the interrupted cutover could not be abandoned: "
                                + undone.describe(UNDO_NOTHING) + ". Repair the cause and run execute again: it"
                                + " completes the undo first");
                    }
                }
                List<Step> steps = ctx.plan().phases().stream().filter(p -> !p.kind().onRequestOnly())
                        .flatMap(p -> p.steps().stream()).toList();
                ExecutionResult stop = loop.run(steps, new Forward());
                if (stop != null) {
                    return stop;
                }
            }
            attempt.log(new JournalEvent.ExecutionFinished(ctx.clock().instant(), outage(PhaseKind.CUTOVER)));
        } catch (Journal.WriteFailed e) {
            return result(ExitCode.STEP_FAILED, e.getMessage() + resumeOpenFreezes(journal.state()));
        }
        return result(ExitCode.SUCCESS, "executed: clients work on green (PostgreSQL " + ctx.inventory().target()
                .version() + ", port " + ctx.inventory().target().port() + "); " + outage(PhaseKind.CUTOVER)
                + (io.pgmigrate.execute.MeasuredOutage.untilHighlyAvailable(ctx.plan(), journal.state().events())
                == null ? "" : "; " + io.pgmigrate.execute.MeasuredOutage.GREEN_HA)
                + "; reverse replication keeps blue current."
                + " pgmigrate rollback goes back to blue without losing a write; pgmigrate cleanup ends replication");
    }

    /** execute's steps: a failure is judged by where it happened (before, inside or after the cutover). */
    private final class Forward implements StepLoop.Policy {
        @Override
        public ExecutionResult precondition(Step step, JournalState state) {
            return OutageRoom.check(journal, step, state, phaseOf(step).steps());
        }

        @Override
        public ExecutionResult failed(Step step, StepAttempt.Failed failure) {
            ExecutionResult r = afterFailure(step, failure.getMessage(), failure.verification());
            return failure.verification() ? result(ExitCode.VERIFICATION_FAILED, r.summary()) : r;
        }

        @Override
        public ExecutionResult unknown(Step step, String reason) {
            return result(ExitCode.STEP_FAILED, "step " + step.id() + " was interrupted in an earlier run and"
                    + " pgmigrate cannot tell its effect: " + reason + ". Nothing was changed now;"
                    + " pgmigrate rollback drops what was created and removes green");
        }

        @Override
        public ExecutionResult journalFailed(Step step, Journal.WriteFailed failure) {
            return result(ExitCode.STEP_FAILED, failure.getMessage() + " (at step " + step.id() + ")"
                    + resumeOpenFreezes(journal.state()) + ". Nothing was undone");
        }
    }

    /** Where a failed step leaves the execution, by the rollback rules. */
    private ExecutionResult afterFailure(Step step, String why, boolean verification) {
        JournalState now = journal.state();
        Phase phase = phaseOf(step);
        if (now.isFinished(CutoverUndo.switchOf(phase(PhaseKind.CUTOVER)).id())) {
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
        if (phase.kind() == PhaseKind.CUTOVER) {
            UndoOutcome undone = undo(phase, phase(PhaseKind.ROLLBACK), now);
            return failed(step.id(), "step " + step.id() + " failed: " + why + ". The cutover was abandoned ("
                    + undone.describe(UNDO_NOTHING) + "): " + (undone.failed().isEmpty() ? "clients work on blue as"
                    + " before and green keeps replicating. Repair the cause and run execute again to try the cutover"
                    + " again, or pgmigrate rollback to drop replication and green" : "repair the cause and run"
                    + " execute again: it completes the undo first") + " (journal " + journal.file() + ")");
        }
        String running = StillRunning.reason(ctx, step);
        if (running != null) {
            return failed(step.id(), "step " + step.id() + " failed: " + why + ". Nothing was rolled back, since "
                    + running + resumeOpenFreezes(now) + ": wait for it to end (pgmigrate status), then run pgmigrate"
                    + " rollback, or execute again, which attaches to it (journal " + journal.file() + ")");
        }
        // blue first answers again (a failed restart may have left it down), then paused clients are let through
        UndoOutcome back = teardown(step.id(), why, now);
        resumeOpenFreezes(now);
        return failed(step.id(), "step " + step.id() + " failed: " + why + ". Rolled back: "
                + back.describe(TEARDOWN_NOTHING) + (back.failed().isEmpty() ? "; blue serves as before (wal_level"
                + " stays logical). Repair the cause and run execute again" : ". Blue serves; run pgmigrate rollback"
                + " to finish the rest") + " (journal " + journal.file() + ")");
    }

    @Override
    public ExecutionResult rollback() {
        JournalState state = journal.state();
        if (state.reversed()) {
            return result(ExitCode.SUCCESS, "rolled back already by the reverse cutover: clients work on blue");
        }
        if (!state.open() || state.began().isEmpty() && state.rollbackOpen() == null) {
            return result(ExitCode.SUCCESS, "nothing to roll back: no step of plan " + ctx.plan().name() + " has run"
                    + (state.rolledBack() ? " since the last rollback" : "") + "; blue is as it was");
        }
        java.util.Set<String> rollbackSteps = phase(PhaseKind.ROLLBACK).steps().stream().map(Step::id)
                .collect(java.util.stream.Collectors.toSet());
        String running = StillRunning.reason(ctx, state, rollbackSteps);
        if (running != null) {
            return result(ExitCode.STEP_FAILED, "cannot roll back yet: " + running + ". Nothing was changed; wait for"
                    + " it (pgmigrate status), then run rollback again");
        }
        try (runner) {
            if (!state.isFinished(CutoverUndo.switchOf(phase(PhaseKind.CUTOVER)).id())) {
                if (CutoverUndo.open(phase(PhaseKind.CUTOVER), state)) {
                    UndoOutcome undone = undo(phase(PhaseKind.CUTOVER), phase(PhaseKind.ROLLBACK), state);
                    ctx.out().println("  cutover abandoned: " + undone.describe(UNDO_NOTHING));
                    state = journal.state();
                }
                UndoOutcome back = teardown(null, "pgmigrate rollback", state);
                resumeOpenFreezes(state);
                return result(back.failed().isEmpty() ? ExitCode.SUCCESS : ExitCode.STEP_FAILED, "rolled back: "
                        + back.describe(TEARDOWN_NOTHING) + (back.failed().isEmpty() ? "; blue serves as before"
                        + " (wal_level stays logical)" : ". Do what was not done by hand (run rollback again); blue"
                        + " serves"));
            }
            return new ReverseCutover().run(state);
        } catch (Journal.WriteFailed e) {
            return result(ExitCode.STEP_FAILED, e.getMessage() + resumeOpenFreezes(journal.state()));
        }
    }

    /** {@code pgmigrate rollback} after the switch: the plan's rollback phase, abandoned when it fails before its switch. */
    private final class ReverseCutover implements StepLoop.Policy {
        ExecutionResult run(JournalState state) {
            Phase rollback = phase(PhaseKind.ROLLBACK);
            if (CutoverUndo.open(rollback, state)) {
                ctx.out().println("  an earlier reverse cutover stopped before its switch: abandoning it first");
                UndoOutcome undone = undo(rollback, phase(PhaseKind.CUTOVER), state);
                if (!undone.failed().isEmpty()) {
                    return result(ExitCode.STEP_FAILED, "the interrupted reverse cutover could not be abandoned: "
                            + undone.describe(UNDO_NOTHING) + ". Repair the cause and run rollback again: it completes"
                            + " the undo first");
                }
            }
            attempt.log(new JournalEvent.RollbackStarted(ctx.clock().instant(), RollbackKind.REVERSE_CUTOVER, null,
                    "pgmigrate rollback"));
            ExecutionResult stop = loop.run(rollback.steps(), this);
            if (stop != null) {
                return stop;
            }
            attempt.log(new JournalEvent.RollbackFinished(ctx.clock().instant(), RollbackKind.REVERSE_CUTOVER,
                    "clients work on blue; " + outage(PhaseKind.ROLLBACK)));
            return result(ExitCode.SUCCESS, "rolled back by the reverse cutover (" + outage(PhaseKind.ROLLBACK)
                    + "): clients work on blue, which holds every write green took; green is fenced. pgmigrate"
                    + " cleanup drops the replication objects");
        }

        @Override
        public ExecutionResult precondition(Step step, JournalState state) {
            return OutageRoom.check(journal, step, state, phase(PhaseKind.ROLLBACK).steps());
        }

        @Override
        public ExecutionResult failed(Step step, StepAttempt.Failed failure) {
            String why = failure.getMessage();
            Phase rollback = phase(PhaseKind.ROLLBACK);
            JournalState now = journal.state();
            if (now.isFinished(CutoverUndo.switchOf(rollback).id())) {
                String resumed = resumeOpenFreezes(now);
                attempt.log(new JournalEvent.RollbackFailed(ctx.clock().instant(), RollbackKind.REVERSE_CUTOVER,
                        step.id(), Redact.secrets(why)));
                return result(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + ". Clients work on"
                        + " blue" + resumed + "; run rollback again to finish the reverse cutover (journal "
                        + journal.file() + ")");
            }
            UndoOutcome undone = undo(rollback, phase(PhaseKind.CUTOVER), now);
            attempt.log(new JournalEvent.RollbackFailed(ctx.clock().instant(), RollbackKind.REVERSE_CUTOVER,
                    step.id(), Redact.secrets(why + "; abandoned: " + undone.describe(UNDO_NOTHING))));
            return result(ExitCode.STEP_FAILED, "step " + step.id() + " failed: " + why + ". The reverse cutover was"
                    + " abandoned (" + undone.describe(UNDO_NOTHING) + "): " + (undone.failed().isEmpty() ? "clients"
                    + " work on green as before and blue is kept current. Repair the cause and run rollback again"
                    : "repair the cause and run rollback again: it completes the undo first") + " (journal "
                    + journal.file() + ")");
        }

        @Override
        public ExecutionResult unknown(Step step, String reason) {
            return result(ExitCode.STEP_FAILED, "step " + step.id() + " of the reverse cutover was interrupted and"
                    + " pgmigrate cannot tell its effect: " + reason + ". Nothing was changed now");
        }

        @Override
        public ExecutionResult journalFailed(Step step, Journal.WriteFailed failure) {
            return result(ExitCode.STEP_FAILED, failure.getMessage() + " (at step " + step.id() + ")"
                    + resumeOpenFreezes(journal.state()));
        }
    }

    @Override
    public ExecutionResult cleanup() {
        JournalState state = journal.state();
        Phase cleanup = phase(PhaseKind.CLEANUP);
        if (CutoverUndo.open(phase(PhaseKind.CUTOVER), state) || CutoverUndo.open(phase(PhaseKind.ROLLBACK), state)) {
            return result(ExitCode.STEP_FAILED, "cannot clean up: a cutover is underway and has not switched clients;"
                    + " run execute (or rollback) again first. Nothing was changed");
        }
        boolean switched = state.isFinished(CutoverUndo.switchOf(phase(PhaseKind.CUTOVER)).id());
        boolean reversed = state.reversed();
        boolean replicating = phase(PhaseKind.REPLICATE).steps().stream().anyMatch(s -> state.began(s.id()));
        if (!switched && !reversed && (replicating && state.open() || state.rollbackOpen() != null)) {
            return result(ExitCode.STEP_FAILED, "cannot clean up: clients were never switched to green, and blue"
                    + " replicates to it. Run execute to go on, or pgmigrate rollback to drop replication and green."
                    + " Nothing was changed");
        }
        if (!switched && !reversed || !state.open()) {
            return result(ExitCode.SUCCESS, "nothing to clean up: no replication of this migration runs (a rollback"
                    + " removed it with green, it was cleaned up, or it was never created); blue serves");
        }
        if (state.cleanedUp() || cleanup.steps().stream().allMatch(s -> state.isFinished(s.id()))) {
            return result(ExitCode.SUCCESS, "cleaned up already: no subscription, publication or slot of this"
                    + " migration is left");
        }
        try (runner) {
            ExecutionResult stop = loop.run(cleanup.steps(), new StepLoop.Policy() {
                @Override
                public ExecutionResult failed(Step step, StepAttempt.Failed failure) {
                    return result(ExitCode.STEP_FAILED, "cleanup step " + step.id() + " failed: " + failure.getMessage()
                            + ". Nothing else was affected; repair the cause and run cleanup again (journal "
                            + journal.file() + ")");
                }

                @Override
                public ExecutionResult unknown(Step step, String reason) {
                    return result(ExitCode.STEP_FAILED, "cleanup step " + step.id() + ": " + reason);
                }

                @Override
                public ExecutionResult journalFailed(Step step, Journal.WriteFailed failure) {
                    return result(ExitCode.STEP_FAILED, failure.getMessage());
                }
            });
            if (stop != null) {
                return stop;
            }
            attempt.log(new JournalEvent.CleanupFinished(ctx.clock().instant(), "replication objects dropped"));
        } catch (Journal.WriteFailed e) {
            return result(ExitCode.STEP_FAILED, e.getMessage());
        }
        return result(ExitCode.SUCCESS, "cleaned up: no subscription, publication or slot of this migration is"
                + " left on either side. " + (reversed ? "Blue serves; green is fenced and no longer kept current:"
                + " stop and remove it when you no longer need it" : "Green serves; blue is fenced and no"
                + " longer kept current, so the way back is a backup now: stop blue when you no longer need it"));
    }

    private UndoOutcome undo(Phase phase, Phase other, JournalState state) {
        return new CutoverUndo(ctx, runner, attempt).undo(phase, other, state);
    }

    private UndoOutcome teardown(String failedStep, String why, JournalState state) {
        attempt.log(new JournalEvent.RollbackStarted(ctx.clock().instant(), RollbackKind.TEARDOWN, failedStep,
                Redact.secrets(why)));
        UndoOutcome back = new BlueGreenTeardown(ctx, runner).run(state);
        attempt.log(back.failed().isEmpty()
                ? new JournalEvent.RollbackFinished(ctx.clock().instant(), RollbackKind.TEARDOWN,
                back.describe(TEARDOWN_NOTHING))
                : new JournalEvent.RollbackFailed(ctx.clock().instant(), RollbackKind.TEARDOWN, failedStep,
                Redact.secrets(back.describe(TEARDOWN_NOTHING))));
        return back;
    }

    /** Clients never stay paused ({@link PausedClients}); a note for the message. */
    private String resumeOpenFreezes(JournalState state) {
        return PausedClients.resume(ctx, runner, state);
    }

    /** "write outage N s (freeze to resume)" of the phase's last attempt, from the journal. */
    private String outage(PhaseKind kind) {
        java.time.Duration d = MeasuredOutage.byPhase(ctx.plan(), journal.state().events()).get(phase(kind).id());
        return d == null ? "write outage not measured" : String.format(java.util.Locale.ROOT,
                "write outage %.1f s (from the freeze until clients could write again)", d.toMillis() / 1000.0);
    }

    private Phase phaseOf(Step step) {
        return ctx.plan().phases().stream().filter(p -> p.steps().contains(step)).findFirst().orElseThrow();
    }

    private Phase phase(PhaseKind kind) {
        return ctx.plan().phase(kind)
                .orElseThrow(() -> new IllegalStateException("a blue/green plan without a " + kind + " phase"));
    }

    private ExecutionResult failed(String step, String summary) {
        attempt.log(new JournalEvent.ExecutionFailed(ctx.clock().instant(), step, Redact.secrets(summary)));
        return result(ExitCode.STEP_FAILED, summary);
    }

    private static ExecutionResult result(ExitCode code, String summary) {
        return ExecutionResult.of(code, summary);
    }
}
