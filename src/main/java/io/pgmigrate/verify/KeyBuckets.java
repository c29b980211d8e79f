package io.pgmigrate.verify;

import io.pgmigrate.verify.TableShape.KeyColumn;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A table's rows cut into ranges of its leading key column at recorded boundaries, each range with its
 * own fingerprint ({@code rows}, {@code hash}, as {@link TableFingerprint}), measured in the same scan as
 * the table's fingerprint. Stored in the baseline so that, once the old cluster is gone, a table whose
 * fingerprint differs can still be narrowed to the ranges that differ: the same boundaries are applied to
 * the new cluster ({@link BaselineNarrowing}). Bucket {@code i} holds the keys from {@code bounds[i-1]}
 * (inclusive; the start for 0) to {@code bounds[i]} (exclusive; the end for the last), as
 * {@code width_bucket} numbers them; values compare as the key column's type does, text under "C".
 *
 * @param column  the key column the ranges are of (the first of the table's key)
 * @param bounds  ascending, as the server prints them under the pinned settings
 * @param buckets only those with rows, by index
 */
public record KeyBuckets(KeyColumn column, List<String> bounds, List<Bucket> buckets) {
    /** One range's fingerprint: index (0 … bounds.size()), rows, sum of the row hashes. */
    public record Bucket(int index, long rows, String hash) {
    }

    public KeyBuckets {
        bounds = List.copyOf(bounds);
        buckets = List.copyOf(buckets);
    }

    /** The ranges of two slices of the same table added up (same column and bounds). */
    public KeyBuckets plus(KeyBuckets other) {
        if (!column.equals(other.column) || !bounds.equals(other.bounds)) {
            throw new IllegalArgumentException("key buckets of different bounds cannot be added");
        }
        TreeMap<Integer, Bucket> sum = new TreeMap<>();
        for (Bucket b : buckets) {
            sum.put(b.index(), b);
        }
        for (Bucket b : other.buckets) {
            sum.merge(b.index(), b, (x, y) -> new Bucket(x.index(), x.rows() + y.rows(),
                    new BigInteger(x.hash()).add(new BigInteger(y.hash())).toString()));
        }
        return new KeyBuckets(column, bounds, new ArrayList<>(sum.values()));
    }

    /** The key range of bucket {@code i}: {@code id [4000, 4312)}, {@code id [start, 17)}, {@code id [9000, end)}. */
    public String range(int i) {
        if (i < 0 || i > bounds.size()) {
            throw new IllegalArgumentException("bucket " + i + " of " + (bounds.size() + 1));
        }
        return column.name() + " [" + (i == 0 ? "start" : bounds.get(i - 1)) + ", "
                + (i == bounds.size() ? "end" : bounds.get(i)) + ")";
    }

    /** Bucket {@code i}, or an empty one. */
    public Bucket bucket(int i) {
        return buckets.stream().filter(b -> b.index() == i).findFirst().orElse(new Bucket(i, 0, "0"));
    }

    List<Bisection.Bucket> forBisection() {
        return buckets.stream().map(b -> new Bisection.Bucket(b.index(), b.rows(), b.hash())).toList();
    }
}
