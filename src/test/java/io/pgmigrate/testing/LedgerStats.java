package io.pgmigrate.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The figures a client takes from its own transactions: the longest gap between two consecutive commits (the
 * write outage as the client sees it) and the distribution of its latencies. Pure arithmetic on fixed inputs,
 * so that it can be tested without a server.
 */
public final class LedgerStats {
    private LedgerStats() {
    }

    /** The longest gap between two consecutive commit instants: its length, and the commits on either side. */
    public record Gap(long length, long from, long to) {
        public static final Gap NONE = new Gap(0, 0, 0);
    }

    /**
     * The longest gap between consecutive commits, in the unit of the inputs (commit instants in any order,
     * from all connections together). Fewer than two commits: {@link Gap#NONE}.
     */
    public static Gap longestGap(long[] commits) {
        if (commits.length < 2) {
            return Gap.NONE;
        }
        long[] sorted = commits.clone();
        Arrays.sort(sorted);
        Gap best = Gap.NONE;
        for (int i = 1; i < sorted.length; i++) {
            long gap = sorted[i] - sorted[i - 1];
            if (gap > best.length()) {
                best = new Gap(gap, sorted[i - 1], sorted[i]);
            }
        }
        return best;
    }

    /**
     * The p-th percentile (0 < p ≤ 100) by the nearest-rank method: the smallest value such that at least p % of
     * the values are at or below it. Always one of the values, never interpolated. No values: 0.
     */
    public static long percentile(long[] values, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** p50, p90, p99 and max of the values, in that order. */
    public static List<Long> distribution(long[] values) {
        List<Long> out = new ArrayList<>();
        for (double p : new double[] {50, 90, 99, 100}) {
            out.add(percentile(values, p));
        }
        return out;
    }
}
