package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.DetachedCommand;
import io.pgmigrate.transport.TransportException;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Whether a step's own program may still run on its host. A step that failed (its outcome unreadable, stopped past its
 * timeout, its host frozen) or was interrupted may have left its detached program running: pg_upgrade on the data
 * directories, pg_restore into green. No way back moves what such a program works on: the automatic rollback after a
 * failure and {@code pgmigrate rollback} both ask first, and wait for it to end.
 */
public final class StillRunning {
    private StillRunning() {
    }

    /**
     * Why the way back must wait for {@code step}: its program runs on its host, or whether it does cannot be read
     * there; null when nothing of it runs (a step without a program, one never started detached, one that ended).
     */
    public static String reason(ExecutionContext ctx, Step step) {
        if (step == null || !(step.action() instanceof Action.RunCommand)) {
            return null;
        }
        String where = ctx.shell(step).describe();
        try {
            DetachedCommand.Status st = ctx.detached(step).status();
            return st.state() == DetachedCommand.State.RUNNING
                    ? "step " + step.id() + " is still running on " + where : null;
        } catch (TransportException e) {
            return "whether step " + step.id() + " still runs on " + where + " cannot be read (" + e.getMessage() + ")";
        }
    }

    /** As {@link #reason(ExecutionContext, Step)} for the journal's interrupted step and its last failed one. */
    public static String reason(ExecutionContext ctx, JournalState state, Set<String> except) {
        Set<String> ids = new LinkedHashSet<>();
        if (state.interrupted() != null) {
            ids.add(state.interrupted());
        }
        if (state.lastFailed() != null) {
            ids.add(state.lastFailed());
        }
        ids.removeAll(except);
        for (String id : ids) {
            String why = reason(ctx, ctx.plan().step(id).orElse(null));
            if (why != null) {
                return why;
            }
        }
        return null;
    }
}
