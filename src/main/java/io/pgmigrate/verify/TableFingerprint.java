package io.pgmigrate.verify;

import java.math.BigInteger;
import java.time.Duration;

/**
 * A table's data fingerprint on one cluster: its row count and the sum of its rows' 64-bit hashes
 * (decimal, exact), computed with {@link FingerprintSql}.
 *
 * @param columns a digest of the columns hashed and how ({@link TableShape#columnsDigest()}): two
 *                fingerprints compare only when it is the same
 * @param took    time spent hashing it (the sum over its slices when they ran in parallel)
 * @param buckets the same rows by ranges of the leading key column, or null (no usable key, a small
 *                table, a key type not cut into ranges, or a baseline of an older pgmigrate)
 */
public record TableFingerprint(TableRef table, long rows, String hash, String columns, Duration took,
                               KeyBuckets buckets) {
    public TableFingerprint(TableRef table, long rows, String hash, String columns, Duration took) {
        this(table, rows, hash, columns, took, null);
    }

    /** This one plus another slice of the same table. */
    public TableFingerprint plus(TableFingerprint other) {
        if (!table.equals(other.table) || !columns.equals(other.columns)) {
            throw new IllegalArgumentException("cannot add slices of " + table + " and " + other.table);
        }
        KeyBuckets sum = buckets == null || other.buckets == null ? null : buckets.plus(other.buckets);
        return new TableFingerprint(table, rows + other.rows,
                new BigInteger(hash).add(new BigInteger(other.hash)).toString(), columns, took.plus(other.took), sum);
    }

    /** Same rows and hash over the same columns. */
    public boolean sameData(TableFingerprint other) {
        return rows == other.rows && hash.equals(other.hash) && columns.equals(other.columns);
    }
}
