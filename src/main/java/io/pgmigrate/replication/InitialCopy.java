package io.pgmigrate.replication;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where a subscription's initial copy stands, read on the subscriber: every table with its state
 * ({@code pg_subscription_rel}) and the bytes copied so far of those being copied
 * ({@code pg_stat_progress_copy} of the table synchronisation workers).
 */
public record InitialCopy(String subscription, List<TableSync> tables) {
    private static final String TABLES = "SELECT n.nspname AS schema, c.relname AS table, r.srsubstate AS state,";
    private static final String PROGRESS = " p.bytes_processed AS bytes, p.tuples_processed AS tuples";
    private static final String NO_PROGRESS = " NULL::bigint AS bytes, NULL::bigint AS tuples";
    private static final String FROM = " FROM pg_catalog.pg_subscription s"
            + " JOIN pg_catalog.pg_subscription_rel r ON r.srsubid = s.oid"
            + " JOIN pg_catalog.pg_class c ON c.oid = r.srrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";
    private static final String PROGRESS_JOIN =
            " LEFT JOIN pg_catalog.pg_stat_progress_copy p ON p.relid = r.srrelid AND p.datid = s.subdbid";
    private static final String WHERE = " WHERE s.subname = ?"
            + " AND s.subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())"
            + " ORDER BY 1, 2";

    /**
     * Reads the state of the subscription's tables; a subscription that does not exist is refused. Bytes
     * copied come from {@code pg_stat_progress_copy}, which exists from PostgreSQL 14 on; an older
     * subscriber (blue, in the reverse direction) reports states only.
     */
    public static InitialCopy read(SqlSession s, String subscription) {
        if (!Subscriptions.exists(s, subscription)) {
            throw new PgMigrateException(ExitCode.STEP_FAILED, "no subscription " + SqlIdentifiers.quote(subscription)
                    + " in database " + SqlIdentifiers.quote(s.database()));
        }
        boolean progress = Subscriptions.serverVersionNum(s) >= 140000;
        String sql = TABLES + (progress ? PROGRESS : NO_PROGRESS) + FROM + (progress ? PROGRESS_JOIN : "") + WHERE;
        List<TableSync> tables = s.query(sql, subscription).stream().map(InitialCopy::table).toList();
        return new InitialCopy(subscription, tables);
    }

    private static TableSync table(SqlRow r) {
        String bytes = r.get("bytes");
        String tuples = r.get("tuples");
        return new TableSync(r.get("schema"), r.get("table"), SyncState.of(r.get("state")),
                bytes == null ? null : Long.parseLong(bytes), tuples == null ? null : Long.parseLong(tuples));
    }

    /**
     * What the tables of the subscription that are ready take on the subscriber ({@code pg_table_size}: heap, TOAST
     * and their free-space and visibility maps, without indexes): the part of the initial copy that is done, as
     * stored there. Read when a progress line is due, not at every poll.
     */
    public static long readyTablesSize(SqlSession s, String subscription) {
        return s.query("SELECT coalesce(sum(pg_catalog.pg_table_size(r.srrelid)), 0)::bigint AS bytes" + FROM
                + " WHERE s.subname = ? AND r.srsubstate = 'r' AND s.subdbid = (SELECT oid FROM pg_catalog.pg_database"
                + " WHERE datname = pg_catalog.current_database())", subscription).get(0).getLong("bytes");
    }

    /**
     * Polls until every table is ready or the timeout passes; returns the last reading either way
     * ({@link #allReady()} says which).
     */
    public static InitialCopy waitUntilReady(SqlSession s, String subscription, Duration timeout, Duration poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InitialCopy now = read(s, subscription);
            if (now.allReady() || System.nanoTime() >= deadline) {
                return now;
            }
            Pause.of(poll);
        }
    }

    /** Every table is in state r (ready). A subscription without tables has nothing to copy: ready. */
    public boolean allReady() {
        return tables.stream().allMatch(t -> t.state() == SyncState.READY);
    }

    public Map<SyncState, Long> countByState() {
        Map<SyncState, Long> counts = new EnumMap<>(SyncState.class);
        tables.forEach(t -> counts.merge(t.state(), 1L, Long::sum));
        return counts;
    }

    /** Bytes copied so far by the copies running right now. */
    public long bytesBeingCopied() {
        return tables.stream().mapToLong(t -> t.bytesCopied() == null ? 0 : t.bytesCopied()).sum();
    }

    /**
     * One line: {@code "pgmigrate_shop": 3 of 5 tables ready, 1 copying (12 MiB so far), 1 waiting}.
     */
    public String summary() {
        return SqlIdentifiers.quote(subscription) + ": " + states(true);
    }

    /** The tables by state: {@code 3 of 5 tables ready, 1 copying, 1 waiting} (no bytes). */
    public String tablesLine() {
        return states(false);
    }

    private String states(boolean bytes) {
        Map<SyncState, Long> c = countByState();
        long ready = c.getOrDefault(SyncState.READY, 0L);
        StringBuilder b = new StringBuilder()
                .append(ready).append(" of ").append(tables.size()).append(tables.size() == 1 ? " table" : " tables")
                .append(" ready");
        long copying = c.getOrDefault(SyncState.DATA_COPY, 0L);
        if (copying > 0) {
            b.append(", ").append(copying).append(" copying");
            if (bytes) {
                b.append(" (").append(Bytes.human(bytesBeingCopied())).append(" so far)");
            }
        }
        long catchingUp = c.getOrDefault(SyncState.FINISHED_COPY, 0L) + c.getOrDefault(SyncState.SYNCED, 0L);
        if (catchingUp > 0) {
            b.append(", ").append(catchingUp).append(" catching up");
        }
        long waiting = c.getOrDefault(SyncState.INIT, 0L);
        if (waiting > 0) {
            b.append(", ").append(waiting).append(" waiting");
        }
        return b.toString();
    }
}
