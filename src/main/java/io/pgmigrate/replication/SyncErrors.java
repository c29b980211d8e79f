package io.pgmigrate.replication;

import io.pgmigrate.transport.SqlSession;

import java.util.OptionalLong;

/**
 * How often a subscription's table synchronisation failed, read on the subscriber
 * ({@code pg_stat_subscription_stats.sync_error_count}, PostgreSQL 15 and later). A table whose copy the subscriber
 * refuses (a row a constraint rejects, a missing column) is retried for ever, every
 * {@code wal_retrieve_retry_interval}; the count rising is how a wait on the copy tells a failure from slowness.
 */
public final class SyncErrors {
    private SyncErrors() {
    }

    /** The count so far, or empty on a subscriber older than 15 (it keeps none). In the subscription's database. */
    public static OptionalLong count(SqlSession subscriber, String subscription) {
        if (Subscriptions.serverVersionNum(subscriber) < 150000) {
            return OptionalLong.empty();
        }
        var rows = subscriber.query("SELECT st.sync_error_count AS n FROM pg_catalog.pg_stat_subscription_stats st"
                + " JOIN pg_catalog.pg_subscription s ON s.oid = st.subid"
                + " JOIN pg_catalog.pg_database d ON d.oid = s.subdbid"
                + " WHERE s.subname = ? AND d.datname = pg_catalog.current_database()", subscription);
        return rows.isEmpty() ? OptionalLong.of(0) : OptionalLong.of(rows.get(0).getLong("n"));
    }
}
