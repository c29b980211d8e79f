package io.pgmigrate.plan;

/** What a phase is, for the executor; its id and title are for people. */
public enum PhaseKind {
    PREFLIGHT, PREPARE, OUTAGE, POST,
    /** Blue/green: the restart of blue for wal_level = logical. */
    SOURCE_RESTART,
    /** Blue/green: green provisioned. */
    GREEN,
    /** Blue/green: roles and schema restored on green. */
    SCHEMA,
    /** Blue/green: publications, subscriptions, initial copy. */
    REPLICATE,
    /** Blue/green: writes frozen, green brought level, clients switched. */
    CUTOVER,
    /** Blue/green: the cutover in reverse; only pgmigrate rollback runs it. */
    ROLLBACK,
    /** Only pgmigrate cleanup runs it. */
    CLEANUP;

    /** Phases that execute never runs: only pgmigrate rollback or cleanup does. */
    public boolean onRequestOnly() {
        return this == ROLLBACK || this == CLEANUP;
    }
}
