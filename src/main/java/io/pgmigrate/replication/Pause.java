package io.pgmigrate.replication;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;

import java.time.Duration;

/** The wait between two polls of a server; an interrupt ends the wait as a failed step. */
final class Pause {
    private Pause() {
    }

    static void of(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgMigrateException(ExitCode.STEP_FAILED, "interrupted while waiting", e);
        }
    }
}
