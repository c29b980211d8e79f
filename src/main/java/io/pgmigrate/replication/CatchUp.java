package io.pgmigrate.replication;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.pg.Lsn;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Catch-up proven by a WAL position, on the publisher: take {@link #walInsertLsn} once writes are frozen,
 * then {@link #waitUntilConfirmed} until the subscription's slot has confirmed it. Its subscriber then
 * has every transaction committed before that point.
 * <p>
 * The position is where WAL is inserted ({@code pg_current_wal_insert_lsn()}), not where it was written
 * ({@code pg_current_wal_lsn()}): a transaction committed with {@code synchronous_commit = off} is visible
 * to everyone before its commit record is written, so the write position can lie before it and be
 * confirmed while that transaction has not reached the subscriber yet. The WAL writer writes it within
 * {@code wal_writer_delay}, after which the walsender sends it.
 */
public final class CatchUp {
    private static final String LAG = "SELECT s.slot_name, s.active, s.confirmed_flush_lsn::text AS confirmed,"
            + " pg_catalog.pg_current_wal_insert_lsn()::text AS current,"
            + " EXTRACT(epoch FROM r.flush_lag)::text AS flush_lag"
            + " FROM pg_catalog.pg_replication_slots s"
            + " LEFT JOIN pg_catalog.pg_stat_replication r ON r.pid = s.active_pid"
            + " WHERE s.slot_name = ?";

    private CatchUp() {
    }

    /** The publisher's current WAL insert position: every committed transaction lies before it. */
    public static Lsn walInsertLsn(SqlSession s) {
        return Lsn.parse(s.query("SELECT pg_catalog.pg_current_wal_insert_lsn()::text AS lsn").get(0).get("lsn"));
    }

    /** The slot's lag now; a slot that does not exist is refused (nothing would ever confirm anything). */
    public static SlotLag lag(SqlSession s, String slot) {
        List<SqlRow> rows = s.query(LAG, slot);
        if (rows.isEmpty()) {
            throw new PgMigrateException(ExitCode.STEP_FAILED, "no replication slot " + slot + " on the publisher"
                    + " (database " + s.database() + "): its subscription was dropped, or never created");
        }
        SqlRow r = rows.get(0);
        String confirmed = r.get("confirmed");
        String flushLag = r.get("flush_lag");
        return new SlotLag(slot, Lsn.parse(r.get("current")), confirmed == null ? null : Lsn.parse(confirmed),
                r.getBool("active"), flushLag == null ? Optional.empty() : Optional.of(seconds(flushLag)));
    }

    static Duration seconds(String epoch) {
        BigDecimal micros = new BigDecimal(epoch).movePointRight(6);
        return Duration.ofNanos(micros.longValue() * 1000);
    }

    /**
     * Polls the slot until its {@code confirmed_flush_lsn} is at or past the target, or the timeout
     * passes. The result says which, and how far behind the slot was at the end.
     */
    public static CatchUpResult waitUntilConfirmed(SqlSession s, String slot, Lsn target, Duration timeout,
                                                   Duration poll) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            SlotLag now = lag(s, slot);
            boolean reached = now.confirmed(target);
            if (reached || System.nanoTime() >= deadline) {
                return new CatchUpResult(slot, target, now.confirmedFlush(), reached, now.bytesBehind(target),
                        Duration.ofNanos(System.nanoTime() - start));
            }
            Pause.of(poll);
        }
    }

    public static CatchUpResult waitUntilConfirmed(SqlSession s, String slot, Lsn target, Duration timeout) {
        return waitUntilConfirmed(s, slot, target, timeout, Duration.ofMillis(100));
    }
}
