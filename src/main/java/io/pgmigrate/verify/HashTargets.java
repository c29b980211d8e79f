package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.List;

/** Lists the tables of one database whose data is fingerprinted, largest first. */
public final class HashTargets {
    /**
     * Regular tables and leaf partitions (relkind 'r'), permanent or unlogged, outside the system
     * schemas. Left out: partitioned parents (no storage; their leaves are listed), views,
     * materialized views (derived data, refreshed rather than copied by a logical migration),
     * foreign tables (their data is elsewhere), temporary tables (another session's) and TOAST.
     */
    static final String SQL = """
            SELECT n.nspname AS schema, c.relname AS name, c.relpersistence = 'u' AS unlogged,
                   rn.nspname AS root_schema, r.relname AS root_name,
                   pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::pg_catalog.int8 AS pages,
                   c.reltuples::pg_catalog.int8 AS estimated_rows
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_class r ON c.relispartition AND r.oid = pg_catalog.pg_partition_root(c.oid)
            LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
            WHERE c.relkind = 'r' AND c.relpersistence IN ('p', 'u')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
            ORDER BY pages DESC, n.nspname COLLATE "C", c.relname COLLATE "C"
            """;

    private HashTargets() {
    }

    /** The tables of the session's database, largest first. */
    public static List<HashTarget> list(SqlSession session) {
        String db = session.database();
        return session.query(SQL).stream().map(r -> new HashTarget(
                new TableRef(db, r.get("schema"), r.get("name")),
                r.getBool("unlogged"),
                r.get("root_name") == null ? null : new TableRef(db, r.get("root_schema"), r.get("root_name")),
                r.getLong("pages"),
                r.getLong("estimated_rows"))).toList();
    }
}
