package io.pgmigrate.verify;

import io.pgmigrate.inventory.Inventory.ResultComparison;
import io.pgmigrate.inventory.Inventory.SmokeQuery;
import io.pgmigrate.verify.SmokeQueries.SmokeResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Smoke queries before and after: results compared as each query declares (all rows, only how many, or
 * not at all); a query that failed on either side fails the check; a slowdown (more than 1.5 times and
 * 50 ms slower) is a warning with both plans attached.
 */
final class SmokeQueryCheck {
    static final double SLOWDOWN_FACTOR = 1.5;
    static final long SLOWDOWN_MIN_MILLIS = 50;

    private SmokeQueryCheck() {
    }

    static CheckResult compare(List<SmokeQuery> queries, List<SmokeResult> before, List<SmokeResult> after) {
        if (queries.isEmpty()) {
            return CheckResult.skipped("smoke queries", "the inventory lists no smoke queries");
        }
        List<String> failures = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (SmokeQuery q : queries) {
            SmokeResult b = find(before, q.name());
            SmokeResult a = find(after, q.name());
            String name = "'" + q.name() + "' (db " + q.database() + ")";
            if (b == null || a == null) {
                failures.add(name + " has no result " + (b == null ? "before" : "after"));
                continue;
            }
            if (b.error() != null || a.error() != null) {
                failures.add(name + " failed " + (a.error() != null ? "after: " + a.error() : "before: " + b.error()));
                continue;
            }
            if (q.compare() == ResultComparison.EXACT && !a.digest().equals(b.digest())) {
                failures.add(name + " returns different rows (" + a.rows() + " rows, " + b.rows() + " before); first"
                        + " rows before " + b.sample() + ", after " + a.sample());
            } else if (q.compare() != ResultComparison.TIMING_ONLY && a.rows() != b.rows()) {
                failures.add(name + " returns " + a.rows() + " rows, " + b.rows() + " before");
            }
            if (a.bestMillis() > b.bestMillis() * SLOWDOWN_FACTOR && a.bestMillis() - b.bestMillis() > SLOWDOWN_MIN_MILLIS) {
                warnings.add(name + " is slower: " + a.bestMillis() + " ms, " + b.bestMillis() + " ms before");
                notes.add(name + " plan before:\n" + b.explain() + "\nplan after:\n" + a.explain());
            } else {
                notes.add(name + ": " + a.rows() + " rows, " + a.bestMillis() + " ms (" + b.bestMillis() + " ms before)");
            }
        }
        String summary = queries.size() + " queries: " + (queries.size() - failures.size()) + " with the same result"
                + (warnings.isEmpty() ? "" : ", " + warnings.size() + " slower");
        return CheckResult.of("smoke queries", summary, failures, warnings, notes);
    }

    private static SmokeResult find(List<SmokeResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }
}
