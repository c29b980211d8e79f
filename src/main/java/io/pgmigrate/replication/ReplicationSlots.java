package io.pgmigrate.replication;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.pg.Lsn;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replication slots on a publisher (cluster-wide, any database of it will do). An orphaned slot keeps
 * WAL until the disk is full, so whatever pgmigrate created is found by name and dropped here.
 */
public final class ReplicationSlots {
    private static final String INFO = "SELECT slot_name, database, active, active_pid,"
            + " confirmed_flush_lsn::text AS confirmed,"
            + " CASE WHEN restart_lsn IS NULL OR pg_catalog.pg_is_in_recovery() THEN 0"
            + " ELSE pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), restart_lsn)::bigint END AS retained"
            + " FROM pg_catalog.pg_replication_slots";
    /** Table synchronisation slots of a subscription's initial copy: pg_<sub oid>_sync_<rel oid>_<system id>. */
    private static final String SYNC_SLOT = "slot_name ~ '^pg_[0-9]+_sync_[0-9]+_[0-9]+$'";
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    private ReplicationSlots() {
    }

    public static Optional<SlotInfo> find(SqlSession s, String name) {
        return s.query(INFO + " WHERE slot_name = ?", name).stream().map(ReplicationSlots::info).findFirst();
    }

    /** Slots whose names start with the prefix (taken literally, not as a pattern). */
    public static List<SlotInfo> withPrefix(SqlSession s, String prefix) {
        return s.query(INFO + " WHERE pg_catalog.left(slot_name, pg_catalog.length(?)) = ? ORDER BY slot_name",
                prefix, prefix).stream().map(ReplicationSlots::info).toList();
    }

    /**
     * Every table synchronisation slot on this publisher, of any subscriber: one left behind by a
     * subscription dropped during its initial copy without its publisher looks like this.
     */
    public static List<SlotInfo> tableSyncSlots(SqlSession s) {
        return s.query(INFO + " WHERE " + SYNC_SLOT + " ORDER BY slot_name").stream().map(ReplicationSlots::info).toList();
    }

    private static SlotInfo info(SqlRow r) {
        String pid = r.get("active_pid");
        String confirmed = r.get("confirmed");
        return new SlotInfo(r.get("slot_name"), r.get("database"), r.getBool("active"),
                pid == null ? null : Long.parseLong(pid), confirmed == null ? null : Lsn.parse(confirmed),
                r.getLong("retained"));
    }

    /**
     * Drops the slot if it exists; true when it was there. A slot still in use by a walsender (its
     * subscriber just went away, or was dropped without disabling) is released first by ending that
     * walsender, and waited for up to 10 seconds.
     */
    public static boolean drop(SqlSession s, String name) {
        long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
        while (true) {
            Optional<SlotInfo> slot = find(s, name);
            if (slot.isEmpty()) {
                return false;
            }
            if (!slot.get().active()) {
                // a slot in use again between the look and the drop makes the drop fail: look again
                List<SqlRow> dropped = s.query("SELECT pg_catalog.pg_drop_replication_slot(slot_name) IS NULL AS done"
                        + " FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND NOT active", name);
                if (!dropped.isEmpty()) {
                    return true;
                }
            } else if (slot.get().activePid() != null) {
                s.query("SELECT pg_catalog.pg_terminate_backend(?::int) AS done", slot.get().activePid());
            }
            if (System.nanoTime() > deadline) {
                throw new PgMigrateException(ExitCode.STEP_FAILED, "replication slot " + name
                        + " is still in use by process " + slot.get().activePid() + " after "
                        + RELEASE_WAIT.toSeconds() + " s: end that walsender, then drop the slot");
            }
            Pause.of(Duration.ofMillis(200));
        }
    }

    /** Drops what a subscription dropped without its publisher left there: its slot and its table sync slots. */
    public static List<String> dropLeftovers(SqlSession s, LeftOnPublisher left) {
        List<String> names = new ArrayList<>();
        if (left.slotName() != null) {
            names.add(left.slotName());
        }
        s.query("SELECT slot_name FROM pg_catalog.pg_replication_slots"
                        + " WHERE pg_catalog.left(slot_name, pg_catalog.length(?)) = ? ORDER BY slot_name",
                left.syncSlotPrefix(), left.syncSlotPrefix()).forEach(r -> names.add(r.get("slot_name")));
        List<String> dropped = new ArrayList<>();
        for (String n : names) {
            if (drop(s, n)) {
                dropped.add(n);
            }
        }
        return dropped;
    }
}
