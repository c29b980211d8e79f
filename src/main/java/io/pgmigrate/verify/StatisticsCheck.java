package io.pgmigrate.verify;

import io.pgmigrate.verify.PlannerStatistics.RelationStatistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Planner statistics after the switch: every table that had size estimates before has them after, and
 * every column with {@code pg_statistic} rows before has them after. Extended statistics and the
 * cumulative counters are known gaps of pg_upgrade, listed as notes, not failures.
 */
final class StatisticsCheck {
    private StatisticsCheck() {
    }

    static CheckResult compare(List<PlannerStatistics> before, List<PlannerStatistics> after) {
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int tables = 0;
        int columns = 0;
        int columnsCovered = 0;
        for (PlannerStatistics b : before) {
            PlannerStatistics a = after.stream().filter(x -> x.database().equals(b.database())).findFirst()
                    .orElse(new PlannerStatistics(b.database(), Map.of(), List.of()));
            for (Map.Entry<String, RelationStatistics> e : b.relations().entrySet()) {
                RelationStatistics old = e.getValue();
                RelationStatistics now = a.relations().get(e.getKey());
                String name = "db " + b.database() + ": " + e.getKey();
                if (old.reltuples() >= 0) {
                    tables++;
                    if (now == null || now.reltuples() < 0) {
                        failures.add(name + " has no size estimates (reltuples), it had " + old.reltuples() + " rows"
                                + " before: run ANALYZE on it");
                    }
                }
                Set<String> missing = new TreeSet<>(old.columns());
                if (now != null) {
                    missing.removeAll(now.columns());
                }
                columns += old.columns().size();
                columnsCovered += old.columns().size() - missing.size();
                if (!missing.isEmpty()) {
                    failures.add(name + " has no column statistics for " + String.join(", ", missing)
                            + ": run ANALYZE on it");
                }
            }
            List<String> extLost = new ArrayList<>(b.extendedStatistics());
            extLost.removeAll(a.extendedStatistics());
            if (!extLost.isEmpty()) {
                notes.add("db " + b.database() + ": extended statistics " + String.join(", ", extLost) + " have no data yet"
                        + " (pg_upgrade does not carry CREATE STATISTICS data; the post-upgrade ANALYZE builds it)");
            }
        }
        notes.add("cumulative statistics (pg_stat_user_tables counters, pg_stat_statements) start from zero on the"
                + " new cluster: a known gap, not a failure");
        String summary = "statistics for " + columnsCovered + " of " + columns + " columns ("
                + percent(columnsCovered, columns) + ") and size estimates for " + (tables - countTablesMissing(failures))
                + " of " + tables + " tables";
        return CheckResult.of("planner statistics", summary, failures, List.of(), notes);
    }

    private static long countTablesMissing(List<String> failures) {
        return failures.stream().filter(f -> f.contains("has no size estimates")).count();
    }

    private static String percent(int part, int whole) {
        return whole == 0 ? "100%" : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
