package io.pgmigrate.verify;

import io.pgmigrate.verify.TableShape.KeyColumn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SQL of {@link KeyBuckets}: a cheap sample of the leading key column to choose boundaries from, and a
 * table's (or a block slice's) fingerprint per range, {@code GROUP BY width_bucket(key, boundaries)} in the
 * same scan that hashes the rows (a binary search per row; the bucket fingerprints add up to the table's).
 */
public final class KeyBucketSql {
    /**
     * Key column types cut into ranges: their text form reads back as the same value and they compare
     * the same way on every version (collatable ones under "C"). Others are not bucketed.
     */
    static final Set<String> TYPES = Set.of("smallint", "integer", "bigint", "numeric", "text", "character varying",
            "bpchar", "uuid", "date", "timestamp without time zone", "timestamp with time zone");
    /** Seed of the block sample: the same data gives the same boundaries. */
    static final int SAMPLE_SEED = 4_242;

    private KeyBucketSql() {
    }

    /** The column ranges are cut on: the key's first, when the table has a key of a type in {@link #TYPES}. */
    static KeyColumn column(TableShape shape) {
        if (!shape.key().exists()) {
            return null;
        }
        KeyColumn first = shape.key().columns().get(0);
        return TYPES.contains(first.type()) ? first : null;
    }

    /**
     * The distinct values of the column in a block sample of {@code percent} of the table, ascending
     * (under "C" when collatable), printed, with how many sampled rows have each: columns {@code k0}, {@code n}.
     */
    static String sample(TableShape shape, KeyColumn column, double percent) {
        String p = String.format(Locale.ROOT, "%.6f", Math.min(100.0, Math.max(0.000001, percent)));
        return "SELECT s.k::pg_catalog.text AS k0, s.n FROM (SELECT " + KeyRangeSql.keyExpression(List.of(column))
                + " AS k, pg_catalog.count(*) AS n FROM ONLY " + shape.table().sql() + " TABLESAMPLE SYSTEM (" + p
                + ") REPEATABLE (" + SAMPLE_SEED + ") GROUP BY 1) s ORDER BY s.k";
    }

    /** The bucket of a row: {@code width_bucket(key, ARRAY[bounds])}, 0 below the first boundary. */
    static String bucket(KeyColumn column, List<String> bounds) {
        List<String> literals = new ArrayList<>();
        for (String b : bounds) {
            literals.add(KeyRangeSql.keyLiteral(List.of(column), List.of(b)));
        }
        return "pg_catalog.width_bucket(" + KeyRangeSql.keyExpression(List.of(column)) + ", ARRAY["
                + String.join(", ", literals) + "])";
    }

    /**
     * The fingerprint of each range of a table or block slice: columns {@code b}, {@code rows},
     * {@code hash}; only ranges with rows.
     */
    public static String fingerprint(TableShape shape, BlockRange range, KeyColumn column, List<String> bounds) {
        return "SELECT s.b, " + FingerprintSql.aggregates("s") + " FROM (SELECT " + bucket(column, bounds) + " AS b, "
                + FingerprintSql.rowHash(shape.columns()) + " AS h FROM ONLY " + shape.table().sql() + range.condition()
                + " OFFSET 0) s GROUP BY s.b ORDER BY s.b";
    }

    /**
     * Boundaries for up to {@code buckets} ranges of about equal rows, from the sorted distinct sample and
     * each value's sampled rows: a boundary is the first value of a range. None when the sample has fewer
     * than two values.
     */
    static List<String> bounds(List<String> values, List<Long> counts, int buckets) {
        long total = counts.stream().mapToLong(Long::longValue).sum();
        int n = Math.min(buckets, values.size());
        List<String> out = new ArrayList<>();
        long seen = 0;
        int next = 1;
        for (int j = 0; j < values.size() && next < n; j++) {
            if (j > 0 && seen * n >= next * total) {
                out.add(values.get(j));
                while (next < n && seen * n >= next * total) {
                    next++;
                }
            }
            seen += counts.get(j);
        }
        return out;
    }
}
