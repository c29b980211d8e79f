package io.pgmigrate.plan;

/** What the executor does when a step runs past its timeout. */
public enum OnTimeout {
    /** Stop the step (its program gets SIGTERM) and treat it as failed. */
    STOP,
    /**
     * Never interrupt it (pg_upgrade in the middle of moving files): warn, keep waiting and let the DBA decide; the
     * warning repeats each time the timeout passes again.
     */
    KEEP_WAITING
}
