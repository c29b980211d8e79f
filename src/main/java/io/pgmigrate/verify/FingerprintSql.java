package io.pgmigrate.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a table fingerprint: {@code count(*)} and the sum (numeric: no overflow) of one 64-bit
 * hash per row, computed in the server so only two numbers cross the wire.
 *
 * <p>A sum is order-independent and counts a duplicate row twice (an XOR over rows would cancel it).
 * A row's hash is the XOR of its columns' hashes ({@link HashedColumn}), each with a seed of its own
 * position so that values swapped between columns change it, and a NULL standing for a constant of
 * its own position; columns whose type hash has no SQL name enter through one
 * {@code hash_record_extended(ROW(...))}. That combination is linear, so a sum of it would only see
 * each column's multiset of values and miss two rows swapping a value: each row hash is therefore
 * mixed once more, {@code hashint8extended(h, h)} (the value as its own seed: all 64 bits enter the
 * mixing), before it is summed. The subquery's {@code OFFSET 0} keeps the planner from computing the
 * row hash twice.
 */
public final class FingerprintSql {
    /**
     * Names this way of hashing; it enters every columns digest, so that a baseline stored by a
     * pgmigrate that hashed differently is reported as not comparable rather than as different data.
     * Change it whenever the SQL below or {@link HashedColumn}'s choices change.
     */
    static final String SCHEME = "pgmigrate-fingerprint-1";
    /** Fixed: changing it changes every fingerprint (and needs a new {@link #SCHEME}). */
    static final long SEED = 7_061_766_009_160_741L;

    private FingerprintSql() {
    }

    /** The row hash of a table's (or a VALUES list's) columns, unmixed, parenthesised. */
    static String rowHash(List<HashedColumn> columns) {
        List<String> terms = new ArrayList<>();
        List<String> inRow = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            HashedColumn c = columns.get(i);
            if (c.direct()) {
                terms.add("COALESCE(" + c.hash(SEED + 1 + i) + ", '" + nullMarker(i) + "'::pg_catalog.int8)");
            } else {
                inRow.add(c.rowElement());
            }
        }
        if (!inRow.isEmpty()) {
            terms.add("pg_catalog.hash_record_extended(ROW(" + String.join(", ", inRow) + "), " + SEED + ")");
        }
        return terms.isEmpty() ? "'0'::pg_catalog.int8" : "(" + String.join(" # ", terms) + ")";
    }

    /** What a NULL in column {@code i} hashes to: a constant of its own (splitmix64 of seed and position). */
    static long nullMarker(int i) {
        long z = SEED + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Mixes the inner query's column {@code h} (a row hash) before it is summed or compared. */
    static String mixed(String alias) {
        return "pg_catalog.hashint8extended(" + alias + ".h, " + alias + ".h)";
    }

    /** count and sum over the inner query's rows, as columns {@code rows} and {@code hash}. */
    static String aggregates(String alias) {
        return "pg_catalog.count(*) AS rows, pg_catalog.sum(" + mixed(alias) + ") AS hash";
    }

    /**
     * The fingerprint of a table or of a block slice of it: one row, {@code rows} and {@code hash}
     * (NULL for an empty table or slice). {@code FROM ONLY}: a table with inheritance children hashes
     * its own rows, each child is hashed as a table of its own.
     */
    public static String fingerprint(TableShape shape, BlockRange range) {
        return "SELECT " + aggregates("s") + " FROM (SELECT " + rowHash(shape.columns()) + " AS h FROM ONLY "
                + shape.table().sql() + range.condition() + " OFFSET 0) s";
    }
}
