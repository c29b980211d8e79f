package io.pgmigrate.replication;

import io.pgmigrate.pg.Lsn;
import io.pgmigrate.transport.SqlSession;

/** Subscriptions in the session's database (the subscriber). */
public final class Subscriptions {
    private Subscriptions() {
    }

    /** A subscription of this name in the session's database ({@code pg_subscription} is shared by the cluster). */
    public static boolean exists(SqlSession s, String name) {
        return !s.query("SELECT 1 FROM pg_catalog.pg_subscription s"
                + " JOIN pg_catalog.pg_database d ON d.oid = s.subdbid"
                + " WHERE s.subname = ? AND d.datname = pg_catalog.current_database()", name).isEmpty();
    }

    /**
     * The end of the last transaction from the publisher this subscription applied (its replication origin's
     * {@code remote_lsn}); empty before it applied any. Transactions that changed nothing published do not move it.
     */
    public static java.util.Optional<Lsn> appliedUpTo(SqlSession s, String name) {
        var rows = s.query("SELECT o.remote_lsn::text AS remote FROM pg_catalog.pg_subscription s"
                + " JOIN pg_catalog.pg_database d ON d.oid = s.subdbid"
                + " JOIN pg_catalog.pg_replication_origin_status o ON o.external_id = 'pg_' || s.oid::text"
                + " WHERE s.subname = ? AND d.datname = pg_catalog.current_database()", name);
        if (rows.isEmpty() || rows.get(0).get("remote") == null || Lsn.parse(rows.get(0).get("remote")).value() == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Lsn.parse(rows.get(0).get("remote")));
    }

    static int serverVersionNum(SqlSession s) {
        return Integer.parseInt(s.query("SELECT pg_catalog.current_setting('server_version_num') AS v").get(0).get("v"));
    }
}
