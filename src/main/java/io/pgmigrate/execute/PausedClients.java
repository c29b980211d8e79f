package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;

import java.util.List;

/**
 * Clients never stay paused: after a failure, every PAUSE in pgbouncer that the journal shows begun and whose RESUME
 * (the plan's next RESUME step after it) has not finished is resumed. RESUME goes wherever pgbouncer points. Every
 * strategy uses it: in place (the outage's pause … resume) and blue/green (blue's restart, the cutover, its reverse).
 */
public final class PausedClients {
    private static final Action.Pgbouncer RESUME = new Action.Pgbouncer(Action.Pgbouncer.Command.RESUME);

    private PausedClients() {
    }

    /** Resumes what is paused; returns a note for a message ("" when nothing was paused). */
    public static String resume(ExecutionContext ctx, StepRunner runner, JournalState state) {
        List<Step> steps = ctx.plan().steps();
        StringBuilder note = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Step pause = steps.get(i);
            if (!pgbouncer(pause, Action.Pgbouncer.Command.PAUSE) || !state.began(pause.id())) {
                continue;
            }
            Step resume = steps.subList(i + 1, steps.size()).stream()
                    .filter(s -> pgbouncer(s, Action.Pgbouncer.Command.RESUME)).findFirst().orElse(null);
            if (resume != null && state.isFinished(resume.id())) {
                continue;
            }
            try {
                runner.run(resume != null ? resume : UndoSteps.like(pause, "Resume clients in pgbouncer", RESUME));
                ctx.out().println("  pgbouncer: RESUME");
                note.append(" (resumed in pgbouncer)");
            } catch (RuntimeException e) {
                ctx.out().println("  pgbouncer: RESUME failed (" + e.getMessage() + "); run RESUME in its admin console");
                note.append(" (pgbouncer RESUME failed: ").append(e.getMessage())
                        .append("; run RESUME in its admin console)");
            }
        }
        return note.toString();
    }

    /** Whether clients are paused now by this execution: a PAUSE began and the RESUME after it has not finished. */
    public static boolean paused(List<Step> steps, JournalState state) {
        for (int i = 0; i < steps.size(); i++) {
            Step pause = steps.get(i);
            if (pgbouncer(pause, Action.Pgbouncer.Command.PAUSE) && state.began(pause.id())) {
                Step resume = steps.subList(i + 1, steps.size()).stream()
                        .filter(s -> pgbouncer(s, Action.Pgbouncer.Command.RESUME)).findFirst().orElse(null);
                if (resume == null || !state.isFinished(resume.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The step whose failure resumed clients while the plan had them paused (a step failed after a PAUSE began and
     * before the RESUME step after it finished), or null. From then on clients may have written: data measured later
     * is not the data as it stood when the outage ended. An interrupted step whose effect could not be told resumes
     * nothing.
     */
    public static String resumedBy(List<Step> steps, JournalState state) {
        String awaited = null;
        for (JournalEvent e : state.events()) {
            if (e instanceof JournalEvent.StepStarted s && awaited == null) {
                int i = indexOf(steps, s.step());
                if (i >= 0 && pgbouncer(steps.get(i), Action.Pgbouncer.Command.PAUSE)) {
                    awaited = steps.subList(i + 1, steps.size()).stream()
                            .filter(r -> pgbouncer(r, Action.Pgbouncer.Command.RESUME)).map(Step::id).findFirst()
                            .orElse("");
                }
            } else if (e instanceof JournalEvent.StepFinished f && f.step().equals(awaited)) {
                awaited = null;
            } else if (e instanceof JournalEvent.StepFailed f && awaited != null
                    && f.failure() != JournalEvent.Failure.UNKNOWN_EFFECT) {
                return f.step();
            }
        }
        return null;
    }

    private static int indexOf(List<Step> steps, String id) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean pgbouncer(Step s, Action.Pgbouncer.Command command) {
        return s.action() instanceof Action.Pgbouncer b && b.command() == command;
    }
}
