package io.pgmigrate.replication;

import io.pgmigrate.transport.SqlSession;

/** Publications in the session's database. */
public final class Publications {
    private Publications() {
    }

    public static boolean exists(SqlSession s, String name) {
        return !s.query("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?", name).isEmpty();
    }
}
