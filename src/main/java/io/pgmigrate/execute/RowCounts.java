package io.pgmigrate.execute;

import io.pgmigrate.inspect.SourceFacts.DatabaseFacts;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Exact row counts of every user table (partitions counted per leaf), per database: the baseline taken
 * from the old cluster while it stands still, compared with the new cluster after the switch.
 * Serial and simple; parallel counting, hashes and statistics are the verification issue's.
 */
final class RowCounts {
    private static final String TABLES = """
            SELECT n.nspname, c.relname FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
            ORDER BY 1, 2""";

    private RowCounts() {
    }

    /** database → "schema"."table" → rows. */
    static Map<String, Map<String, Long>> count(List<DatabaseFacts> databases, Function<String, SqlSession> connect) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (DatabaseFacts db : databases) {
            if (!db.allowConnections() || db.template()) {
                continue;
            }
            Map<String, Long> tables = new TreeMap<>();
            try (SqlSession s = connect.apply(db.name())) {
                for (SqlRow t : s.query(TABLES)) {
                    String name = SqlIdentifiers.qualified(t.get("nspname"), t.get("relname"));
                    tables.put(name, s.query("SELECT count(*) AS n FROM " + name).get(0).getLong("n"));
                }
            }
            out.put(db.name(), tables);
        }
        return out;
    }

    /** One line per difference: a table missing on either side or a different count. */
    static List<String> differences(Map<String, Map<String, Long>> before, Map<String, Map<String, Long>> after) {
        List<String> out = new ArrayList<>();
        before.forEach((db, tables) -> tables.forEach((t, n) -> {
            Long m = after.getOrDefault(db, Map.of()).get(t);
            if (m == null) {
                out.add(db + ": " + t + " is missing (" + n + " rows before)");
            } else if (!m.equals(n)) {
                out.add(db + ": " + t + " has " + m + " rows, " + n + " before");
            }
        }));
        after.forEach((db, tables) -> tables.keySet().stream()
                .filter(t -> !before.getOrDefault(db, Map.of()).containsKey(t))
                .forEach(t -> out.add(db + ": " + t + " is new")));
        return out;
    }
}
