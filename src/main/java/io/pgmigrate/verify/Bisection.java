package io.pgmigrate.verify;

import io.pgmigrate.verify.DifferingRow.Change;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** The pure steps of narrowing: which buckets differ, their key ranges, and which rows differ. */
final class Bisection {
    /** A bucket's fingerprint on one side: its index, rows and hash. */
    record Bucket(int index, long rows, String hash) {
    }

    /** A row of a small range on one side: its key (printed) and its row hash. */
    record KeyedRow(List<String> key, String hash) {
    }

    private Bisection() {
    }

    /** Rows per bucket so that {@code rows} fall into about {@code fanout} buckets (at least 1). */
    static long step(long rows, int fanout) {
        return Math.max(1, (rows + fanout - 1) / fanout);
    }

    /**
     * The indexes (ascending) of buckets whose row count or hash differs; a bucket missing on one side
     * (no rows there) differs from one that has rows.
     */
    static List<Integer> differing(List<Bucket> before, List<Bucket> after) {
        Map<Integer, Bucket> b = new LinkedHashMap<>();
        before.forEach(x -> b.put(x.index(), x));
        Map<Integer, Bucket> a = new LinkedHashMap<>();
        after.forEach(x -> a.put(x.index(), x));
        TreeSet<Integer> all = new TreeSet<>(b.keySet());
        all.addAll(a.keySet());
        List<Integer> out = new ArrayList<>();
        for (int i : all) {
            Bucket x = b.get(i);
            Bucket y = a.get(i);
            if (x == null || y == null || x.rows() != y.rows() || !x.hash().equals(y.hash())) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The key range of bucket {@code i} of {@code parent} cut at {@code bounds}: bucket 0 from the
     * parent's lower bound to the first boundary, bucket n from the last boundary to the parent's
     * upper bound.
     */
    static KeyRange bucketRange(KeyRange parent, List<List<String>> bounds, int i) {
        if (i < 0 || i > bounds.size()) {
            throw new IllegalArgumentException("bucket " + i + " of " + (bounds.size() + 1));
        }
        List<String> lower = i == 0 ? parent.lower() : bounds.get(i - 1);
        List<String> upper = i == bounds.size() ? parent.upper() : bounds.get(i);
        return new KeyRange(lower, upper);
    }

    /**
     * The rows that differ between the two sides' rows of one range: keys
     * before only, after only, or on both with different hashes; in the before side's order, then
     * the rows added after in the after side's order.
     */
    static List<DifferingRow> rows(List<KeyedRow> before, List<KeyedRow> after) {
        Map<List<String>, String> a = new LinkedHashMap<>();
        after.forEach(r -> a.put(r.key(), r.hash()));
        Map<List<String>, String> b = new LinkedHashMap<>();
        before.forEach(r -> b.put(r.key(), r.hash()));
        List<DifferingRow> out = new ArrayList<>();
        for (KeyedRow r : before) {
            String other = a.get(r.key());
            if (other == null) {
                out.add(new DifferingRow(r.key(), Change.MISSING_AFTER));
            } else if (!Objects.equals(other, r.hash())) {
                out.add(new DifferingRow(r.key(), Change.CHANGED));
            }
        }
        for (KeyedRow r : after) {
            if (!b.containsKey(r.key())) {
                out.add(new DifferingRow(r.key(), Change.ADDED_AFTER));
            }
        }
        return out;
    }
}
