package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;

import java.util.List;

/**
 * Clients never stay paused: after a failure, every PAUSE in pgbouncer that the journal shows begun and whose RESUME
 * (the plan's next RESUME step after it) has not finished is resumed. RESUME goes wherever pgbouncer points. Both
 * executors use it: in place (outage.pause-clients … post.resume-clients) and blue/green (blue's restart, the
 * cutover, the reverse cutover).
 */
final class PausedClients {
    private PausedClients() {
    }

    /** Resumes what is paused; returns a note for a message ("" when nothing was paused). */
    static String resume(ExecutionContext ctx, ActionRunner runner, JournalState state) {
        List<Step> steps = ctx.plan().phases().stream().flatMap(p -> p.steps().stream()).toList();
        StringBuilder note = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Step pause = steps.get(i);
            if (!pgbouncer(pause, "PAUSE") || !state.began(pause.id())) {
                continue;
            }
            Step resume = steps.subList(i + 1, steps.size()).stream().filter(s -> pgbouncer(s, "RESUME")).findFirst()
                    .orElse(pause);
            if (resume != pause && state.isFinished(resume.id())) {
                continue;
            }
            try {
                runner.pgbouncer(resume, "RESUME");
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

    private static boolean pgbouncer(Step s, String command) {
        return s.action() instanceof Action.RunSql q && q.endpoint() == Action.Endpoint.PGBOUNCER
                && q.sql().strip().equalsIgnoreCase(command);
    }
}
