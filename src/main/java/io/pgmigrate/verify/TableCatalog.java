package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.List;

/**
 * The tables of one database whose rows the verification counts: ordinary tables and leaf partitions
 * (a partitioned parent has no rows of its own) and populated materialized views, with their size on
 * disk (to count the largest first and to pick estimates in fast mode) and the planner's row estimate.
 */
public final class TableCatalog {
    private static final String TABLES = """
            SELECT n.nspname, c.relname, c.relkind, c.relpersistence = 'u' AS unlogged, c.relispartition,
                   pg_catalog.pg_relation_size(c.oid) AS bytes,
                   pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::pg_catalog.int8 AS pages,
                   c.reltuples::bigint AS estimate
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (c.relkind = 'r' OR c.relkind = 'm' AND c.relispopulated)
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
            ORDER BY 1, 2""";

    private TableCatalog() {
    }

    /**
     * @param kind          {@code table}, {@code partition} or {@code materialized view}
     * @param unlogged      unlogged tables are labelled apart in the report
     * @param pages         the heap's size in blocks when listed (decides whether it is counted in slices)
     * @param estimatedRows {@code pg_class.reltuples}; -1 when never analysed
     */
    public record TableInfo(TableRef table, String kind, boolean unlogged, long bytes, long pages, long estimatedRows) {
    }

    public static List<TableInfo> list(SqlSession s) {
        return s.query(TABLES).stream().map(r -> info(s.database(), r)).toList();
    }

    private static TableInfo info(String database, SqlRow r) {
        String kind = "m".equals(r.get("relkind")) ? "materialized view"
                : r.getBool("relispartition") ? "partition" : "table";
        return new TableInfo(new TableRef(database, r.get("nspname"), r.get("relname")), kind, r.getBool("unlogged"),
                r.getLong("bytes"), r.getLong("pages"), r.getLong("estimate"));
    }
}
