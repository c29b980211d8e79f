package io.pgmigrate.replication;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.List;

/** Publications in the session's database: created {@code FOR ALL TABLES} if absent, dropped if present. */
public final class Publications {
    private Publications() {
    }

    /**
     * Creates {@code CREATE PUBLICATION name FOR ALL TABLES} unless a publication of that name exists. One
     * that exists but does not publish all tables is refused: it is not the one pgmigrate would have made.
     */
    public static Outcome ensureForAllTables(SqlSession s, String name) {
        List<SqlRow> rows = s.query("SELECT puballtables FROM pg_catalog.pg_publication WHERE pubname = ?", name);
        if (!rows.isEmpty()) {
            if (!rows.get(0).getBool("puballtables")) {
                throw new PgMigrateException(ExitCode.STEP_FAILED, "publication " + SqlIdentifiers.quote(name)
                        + " in database " + SqlIdentifiers.quote(s.database())
                        + " exists but is not FOR ALL TABLES: drop it or choose another name");
            }
            return Outcome.ALREADY_PRESENT;
        }
        s.execute("CREATE PUBLICATION " + SqlIdentifiers.quote(name) + " FOR ALL TABLES");
        return Outcome.CREATED;
    }

    public static boolean exists(SqlSession s, String name) {
        return !s.query("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?", name).isEmpty();
    }

    /** Drops the publication if it exists; true when it was there. */
    public static boolean drop(SqlSession s, String name) {
        if (!exists(s, name)) {
            return false;
        }
        s.execute("DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(name));
        return true;
    }

    /** The publications of this database whose names start with the prefix (taken literally, not as a pattern). */
    public static List<String> withPrefix(SqlSession s, String prefix) {
        return s.query("SELECT pubname FROM pg_catalog.pg_publication"
                        + " WHERE pg_catalog.left(pubname, pg_catalog.length(?)) = ? ORDER BY pubname", prefix, prefix)
                .stream().map(r -> r.get("pubname")).toList();
    }
}
