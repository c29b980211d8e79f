package io.pgmigrate.replication;

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

    static int serverVersionNum(SqlSession s) {
        return Integer.parseInt(s.query("SELECT pg_catalog.current_setting('server_version_num') AS v").get(0).get("v"));
    }
}
