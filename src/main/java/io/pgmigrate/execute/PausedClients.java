package io.pgmigrate.execute;

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

    private static boolean pgbouncer(Step s, Action.Pgbouncer.Command command) {
        return s.action() instanceof Action.Pgbouncer b && b.command() == command;
    }
}
