package io.pgmigrate.execute;

import io.pgmigrate.execute.JournalEntry.Event;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where an execution stands, derived from its journal: steps finished (never run again), the step that
 * was started and never ended (interrupted: re-checked before anything else), and whether the execution
 * already ended. An undone step (a blue/green cutover abandoned) counts as never begun. A finished rollback returned the old cluster to where it was: nothing counts as done;
 * {@code rollbackCause} says what led to it (a failed step, or {@code pgmigrate rollback}).
 */
public record JournalState(Set<String> finished, Set<String> began, String interrupted, String lastFailed,
                           boolean ended, boolean rolledBack, String rollbackCause, int entries) {

    public static JournalState of(List<JournalEntry> entries) {
        Set<String> finished = new LinkedHashSet<>();
        Set<String> began = new LinkedHashSet<>();
        String cause = null;
        String open = null;
        String failed = null;
        boolean ended = false;
        boolean rolledBack = false;
        for (JournalEntry e : entries) {
            switch (e.event()) {
                case STEP_STARTED -> {
                    open = e.step();
                    began.add(e.step());
                }
                case STEP_FINISHED, STEP_SKIPPED -> {
                    finished.add(e.step());
                    open = null;
                }
                case STEP_FAILED -> {
                    failed = e.step();
                    open = null;
                }
                case STEP_UNDONE -> {
                    finished.remove(e.step());
                    began.remove(e.step());
                    if (e.step().equals(open)) {
                        open = null;
                    }
                }
                case EXECUTION_STARTED -> {
                    ended = false;
                    rolledBack = false;
                }
                case EXECUTION_FINISHED -> ended = true;
                case ROLLBACK_STARTED -> cause = e.step() == null ? "pgmigrate rollback" : e.step() + " failed";
                case ROLLBACK_FINISHED -> {
                    // the old cluster runs again as before: a new execution starts from the first step
                    finished.clear();
                    began.clear();
                    open = null;
                    rolledBack = true;
                    ended = false;
                }
                default -> {
                }
            }
        }
        return new JournalState(Set.copyOf(finished), Set.copyOf(began), open, failed, ended, rolledBack, cause,
                entries.size());
    }

    public boolean isFinished(String step) {
        return finished.contains(step);
    }

    /** Whether the step was started since the last rollback (it may have finished, failed or been interrupted). */
    public boolean began(String step) {
        return began.contains(step);
    }
}
