package io.pgmigrate.verify;

import io.pgmigrate.verify.RowCounter.RowCount;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Row counts before and after, per table. Exact counts must be equal; a table missing or new is a
 * failure. Estimates (fast mode) are compared only as a note, since they are not counts. Unlogged tables
 * are reported in a check of their own: on a primary pg_upgrade keeps their rows, so they must match too.
 */
final class RowCountCheck {
    private RowCountCheck() {
    }

    static List<CheckResult> compare(List<RowCount> before, List<RowCount> after) {
        List<CheckResult> out = new ArrayList<>();
        out.add(compare("row counts", before.stream().filter(r -> !r.unlogged()).toList(),
                after.stream().filter(r -> !r.unlogged()).toList()));
        List<RowCount> unloggedBefore = before.stream().filter(RowCount::unlogged).toList();
        List<RowCount> unloggedAfter = after.stream().filter(RowCount::unlogged).toList();
        if (!unloggedBefore.isEmpty() || !unloggedAfter.isEmpty()) {
            out.add(compare("row counts of unlogged tables", unloggedBefore, unloggedAfter));
        }
        return out;
    }

    private static CheckResult compare(String check, List<RowCount> before, List<RowCount> after) {
        Map<TableRef, RowCount> old = index(before);
        Map<TableRef, RowCount> now = index(after);
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long rows = 0;
        int exact = 0;
        for (RowCount b : old.values()) {
            RowCount a = now.get(b.table());
            if (a == null) {
                failures.add(b.table() + " is missing (" + b.rows() + " rows before)");
                continue;
            }
            if (b.exact() && a.exact()) {
                exact++;
                rows += b.rows();
                if (a.rows() != b.rows()) {
                    failures.add(b.table() + " has " + a.rows() + " rows, " + b.rows() + " before ("
                            + signed(a.rows() - b.rows()) + ")");
                }
            } else if (a.rows() != b.rows()) {
                notes.add(b.table() + ": estimated " + a.rows() + " rows, " + b.rows() + " before (fast mode:"
                        + " estimates, not counts)");
            }
        }
        now.keySet().stream().filter(t -> !old.containsKey(t))
                .forEach(t -> failures.add(t + " is new (" + now.get(t).rows() + " rows), it was not there before"));
        int estimated = old.size() - exact;
        String summary = old.size() + " tables: " + exact + " counted exactly (" + rows + " rows)"
                + (estimated > 0 ? ", " + estimated + " estimated (fast mode, labelled)" : "")
                + (failures.isEmpty() ? ", all equal" : ", " + failures.size() + " differ");
        return CheckResult.of(check, summary, failures, List.of(), notes);
    }

    private static Map<TableRef, RowCount> index(List<RowCount> counts) {
        return counts.stream().collect(Collectors.toMap(RowCount::table, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    private static String signed(long n) {
        return n > 0 ? "+" + n : String.valueOf(n);
    }
}
