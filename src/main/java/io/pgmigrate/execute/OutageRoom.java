package io.pgmigrate.execute;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Step;

import java.util.List;

/**
 * Before an outage begins, the journal must have room for what the outage writes: a journal that cannot be written
 * stops the execution, and it is better to find that out before clients are paused than while they wait.
 */
public final class OutageRoom {
    private OutageRoom() {
    }

    /**
     * Null when the step is not the first of its outage to run, or the journal's file system has at least
     * {@link Journal#MIN_FREE_BYTES} free; otherwise the result that stops the execution before it.
     *
     * @param outage the steps of the outage the step belongs to
     */
    public static ExecutionResult check(Journal journal, Step step, JournalState state, List<Step> outage) {
        if (!step.inOutage() || outage.stream().anyMatch(s -> s.inOutage() && state.began(s.id()))) {
            return null;
        }
        long free = journal.freeBytes();
        if (free >= Journal.MIN_FREE_BYTES) {
            return null;
        }
        return ExecutionResult.of(ExitCode.STEP_FAILED, "only " + Bytes.human(free) + " free on the file system of the"
                + " journal " + journal.file() + " (at least " + Bytes.human(Journal.MIN_FREE_BYTES) + " needed before"
                + " the outage begins); stopped before step " + step.id() + ", which did not run, and clients were"
                + " not paused. Free space there and run the command again: it resumes from the journal");
    }
}
