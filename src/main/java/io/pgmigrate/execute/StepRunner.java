package io.pgmigrate.execute;

import io.pgmigrate.plan.Step;

/**
 * Does what one step's action says and returns a short note for the journal; a failure is a one-line
 * {@link StepFailure}. {@link ActionRunner} does it on real hosts and servers; unit tests give a fake.
 */
public interface StepRunner extends AutoCloseable {
    Outcome run(Step step);

    /** What a step left for the journal: a note for people, and the WAL position a wal-position step took. */
    record Outcome(String note, io.pgmigrate.pg.Lsn walPosition) {
        public static Outcome note(String note) {
            return new Outcome(note, null);
        }
    }

    /** Releases whatever a step left held for a later one (snapshots). */
    @Override
    default void close() {
    }
}
