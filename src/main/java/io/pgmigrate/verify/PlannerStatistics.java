package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the planner knows about one database: per table (and index with expressions) its size estimates
 * ({@code pg_class.reltuples/relpages}) and the columns that have {@code pg_statistic} rows; the extended
 * statistics objects ({@code CREATE STATISTICS}) and whether they hold data. Read from the catalogs in
 * three queries, as a superuser (pg_statistic is not readable otherwise).
 *
 * @param relations          per relation, keyed by {@code schema.name}
 * @param extendedStatistics extended statistics objects with data, as {@code schema.name}
 */
public record PlannerStatistics(String database, Map<String, RelationStatistics> relations,
                                List<String> extendedStatistics) {

    /**
     * @param reltuples -1 when the relation was never analysed (or vacuumed). Before PostgreSQL 14 the server
     *                  wrote 0 for that, and always 0 for a partitioned table: read from such a server, 0 rows
     *                  in 0 pages and a partitioned table are -1, unknown, as 14 and later would say.
     */
    public record RelationStatistics(long reltuples, long relpages, List<String> columns) {
    }

    private static final String RELATIONS = """
            SELECT n.nspname, c.relname,
                   CASE WHEN current_setting('server_version_num')::int < 140000
                             AND (c.relkind = 'p' OR (c.reltuples = 0 AND c.relpages = 0)) THEN -1
                        ELSE c.reltuples::bigint END AS reltuples,
                   c.relpages
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'm', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'""";
    private static final String COLUMNS = """
            SELECT n.nspname, c.relname, a.attname, s.stainherit
            FROM pg_catalog.pg_statistic s
            JOIN pg_catalog.pg_class c ON c.oid = s.starelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = s.starelid AND a.attnum = s.staattnum
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'""";
    private static final String EXTENDED = """
            SELECT n.nspname, e.stxname
            FROM pg_catalog.pg_statistic_ext e
            JOIN pg_catalog.pg_namespace n ON n.oid = e.stxnamespace
            WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext_data d WHERE d.stxoid = e.oid)
            ORDER BY 1, 2""";

    public static PlannerStatistics read(SqlSession s) {
        Map<String, TreeSet<String>> columns = new TreeMap<>();
        for (SqlRow r : s.query(COLUMNS)) {
            String column = r.get("attname") + (r.getBool("stainherit") ? " (with inheritance)" : "");
            columns.computeIfAbsent(r.get("nspname") + "." + r.get("relname"), k -> new TreeSet<>()).add(column);
        }
        Map<String, RelationStatistics> relations = new TreeMap<>();
        for (SqlRow r : s.query(RELATIONS)) {
            String name = r.get("nspname") + "." + r.get("relname");
            relations.put(name, new RelationStatistics(r.getLong("reltuples"), r.getLong("relpages"),
                    List.copyOf(columns.getOrDefault(name, new TreeSet<>()))));
            columns.remove(name);
        }
        // what is left has statistics but is no table: indexes on expressions
        columns.forEach((name, cols) -> relations.put(name, new RelationStatistics(-1, -1, List.copyOf(cols))));
        List<String> extended = new ArrayList<>();
        s.query(EXTENDED).forEach(r -> extended.add(r.get("nspname") + "." + r.get("stxname")));
        return new PlannerStatistics(s.database(), relations, List.copyOf(extended));
    }
}
