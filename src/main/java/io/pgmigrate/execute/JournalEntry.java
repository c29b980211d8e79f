package io.pgmigrate.execute;

import java.time.Instant;

/**
 * One line of an execution journal.
 *
 * @param step     the step id, or null for execution-level events
 * @param exitCode a command's exit status, when there is one
 * @param millis   how long the step took, on finished and failed events
 * @param detail   a one-line message or the tail of the output (redacted)
 */
public record JournalEntry(Instant at, Event event, String step, Integer exitCode, Long millis, String detail) {
    public enum Event {
        EXECUTION_STARTED, STEP_STARTED, STEP_FINISHED, STEP_FAILED, STEP_SKIPPED,
        ROLLBACK_STARTED, ROLLBACK_FINISHED, ROLLBACK_FAILED, EXECUTION_FINISHED, EXECUTION_FAILED,
        /**
         * A finished or begun step whose effect was undone (a blue/green cutover abandoned before the switch): it
         * counts as never run, so the next execution runs it again.
         */
        STEP_UNDONE
    }
}
