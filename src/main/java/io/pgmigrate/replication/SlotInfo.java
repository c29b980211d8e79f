package io.pgmigrate.replication;

import io.pgmigrate.pg.Lsn;

/**
 * A replication slot on a publisher: whether a walsender uses it, the position its subscriber confirmed,
 * and the WAL it keeps from being removed ({@code pg_current_wal_lsn() - restart_lsn}).
 */
public record SlotInfo(String name, String database, boolean active, Long activePid, Lsn confirmedFlush,
                       long retainedWalBytes) {
}
