package io.pgmigrate.replication;

import io.pgmigrate.pg.Lsn;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.time.Duration;

/**
 * What a logical slot holds that its subscriber has not confirmed: the data changes (INSERT, UPDATE, DELETE,
 * TRUNCATE of the published tables) of transactions committed after the slot's confirmed position, read with
 * {@code pg_logical_slot_peek_binary_changes} (nothing is consumed) once the slot is not in use (its subscription
 * disabled). This is the proof that nothing was written past a frozen point: any transaction a stray session committed
 * after it, and that did not reach the subscriber before the subscription stopped, is here; changes the server makes
 * to its own catalogs (ANALYZE, autovacuum) are not published and never count.
 *
 * <p>After the switch, with the slot's subscription stopped at the frozen point, the same slot also shows whether
 * anything was written on the publisher directly since: transactions that came in by replication (the reverse
 * direction) carry a replication origin, which pgoutput announces with an Origin message; a transaction with data
 * changes and none was written there by a session ({@link #peekLocal}).
 *
 * @param changes the number of data changes found (0: nothing was left behind)
 * @param first   the position of the first, or null
 * @param firstXid the transaction of the first, or null
 */
public record Unreplicated(long changes, Lsn first, String firstXid) {
    /** pgoutput's message types of data changes: 'I', 'U', 'D', 'T'. */
    private static final String DATA_CHANGES = "(73, 85, 68, 84)";

    /**
     * Waits, up to {@code wait}, until the slot is inactive (its subscription disabled, the walsender gone), then
     * peeks. In the slot's database. Throws {@link IllegalStateException} when the slot stays in use.
     */
    public static Unreplicated peek(SqlSession publisher, String slot, String publication, Duration wait) {
        awaitInactive(publisher, slot, wait);
        SqlRow r = publisher.query("SELECT count(*) AS n, min(lsn)::text AS first, min(xid::text) AS xid"
                + " FROM pg_catalog.pg_logical_slot_peek_binary_changes(?, NULL, NULL, 'proto_version', '1',"
                + " 'publication_names', ?) WHERE pg_catalog.get_byte(data, 0) IN " + DATA_CHANGES,
                slot, SqlIdentifiers.quote(publication)).get(0);
        return of(r);
    }

    /**
     * The data changes of transactions written on the publisher by a session, not brought in by replication, that the
     * slot holds beyond its confirmed position (waits for the slot to be inactive first, as {@link #peek}).
     */
    public static Unreplicated peekLocal(SqlSession publisher, String slot, String publication, Duration wait) {
        awaitInactive(publisher, slot, wait);
        SqlRow r = publisher.query("SELECT coalesce(sum(n), 0) AS n, min(first)::text AS first, min(xid::text) AS xid"
                + " FROM (SELECT xid, min(lsn) AS first, count(*) FILTER (WHERE pg_catalog.get_byte(data, 0) IN "
                + DATA_CHANGES + ") AS n, bool_or(pg_catalog.get_byte(data, 0) = 79) AS replicated"
                + " FROM pg_catalog.pg_logical_slot_peek_binary_changes(?, NULL, NULL, 'proto_version', '1',"
                + " 'publication_names', ?) GROUP BY xid) t WHERE n > 0 AND NOT replicated",
                slot, SqlIdentifiers.quote(publication)).get(0);
        return of(r);
    }

    private static Unreplicated of(SqlRow r) {
        long n = r.getLong("n");
        return new Unreplicated(n, n == 0 ? null : Lsn.parse(r.get("first")), n == 0 ? null : r.get("xid"));
    }

    /**
     * Until the slot is inactive and the WAL is flushed up to the insert position read first: a peek decodes only
     * flushed WAL, and a commit made with {@code synchronous_commit = off} is visible before the WAL writer flushes it.
     */
    private static void awaitInactive(SqlSession publisher, String slot, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Lsn inserted = CatchUp.walInsertLsn(publisher);
        while (Lsn.parse(publisher.query("SELECT pg_catalog.pg_current_wal_flush_lsn()::text AS f").get(0).get("f"))
                .compareTo(inserted) < 0) {
            pause(deadline, "the WAL to be flushed to " + inserted);
        }
        while (true) {
            var rows = publisher.query("SELECT active FROM pg_catalog.pg_replication_slots WHERE slot_name = ?", slot);
            if (rows.isEmpty()) {
                throw new IllegalStateException("no replication slot " + slot + " on the publisher");
            }
            if (!rows.get(0).getBool("active")) {
                break;
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("the slot " + slot + " is still in use " + wait.toMillis()
                        + " ms after its subscription was disabled");
            }
            pause(deadline, "slot " + slot);
        }
    }

    private static void pause(long deadline, String what) {
        if (System.nanoTime() >= deadline) {
            throw new IllegalStateException("gave up waiting for " + what);
        }
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what);
        }
    }

    public boolean none() {
        return changes == 0;
    }

    public String describe() {
        return none() ? "nothing committed after the frozen point is missing on the subscriber"
                : changes + " data change(s) committed after the frozen point never reached the subscriber (the first"
                + " at " + first + ", transaction " + firstXid + "): a session wrote through the freeze";
    }
}
