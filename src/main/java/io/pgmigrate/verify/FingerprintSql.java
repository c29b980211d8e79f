package io.pgmigrate.verify;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of a table fingerprint: {@code count(*)} and the sum (numeric: no overflow) of one 64-bit
 * hash per row, computed in the server so only two numbers cross the wire.
 *
 * <p>A sum is order-independent and counts a duplicate row twice (an XOR would cancel it). The row
 * hash is {@code hash_record_extended(ROW(columns...), seed)}, which hashes each column with its
 * type's hash (or its text, see {@link HashedColumn}); that combines the columns linearly, so a sum
 * of it would only see each column's multiset of values and miss two rows swapping a value. Each
 * row hash is therefore mixed once more, {@code hashint8extended(h, h)} (the value as its own seed:
 * all 64 bits enter the mixing), before it is summed. The subquery's {@code OFFSET 0} keeps the
 * planner from computing the row hash twice.
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

    /** The row hash of a table's (or a VALUES list's) columns, unmixed. */
    static String rowHash(List<HashedColumn> columns) {
        String elements = columns.stream().map(HashedColumn::expression).collect(Collectors.joining(", "));
        return "pg_catalog.hash_record_extended(ROW(" + elements + "), " + SEED + ")";
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
