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
     * (under "C" when collatable), printed: column {@code k0}.
     */
    static String sample(TableShape shape, KeyColumn column, double percent) {
        String p = String.format(Locale.ROOT, "%.6f", Math.min(100.0, Math.max(0.000001, percent)));
        return "SELECT s.k::pg_catalog.text AS k0 FROM (SELECT DISTINCT " + KeyRangeSql.keyExpression(List.of(column))
                + " AS k FROM ONLY " + shape.table().sql() + " TABLESAMPLE SYSTEM (" + p + ") REPEATABLE ("
                + SAMPLE_SEED + ")) s ORDER BY s.k";
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
     * About {@code buckets} boundaries, evenly spaced over the sorted distinct sample: none when the sample
     * has fewer than two values.
     */
    static List<String> bounds(List<String> sample, int buckets) {
        int n = Math.min(buckets, sample.size());
        List<String> out = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            String b = sample.get((int) ((long) i * sample.size() / n));
            if (out.isEmpty() || !out.get(out.size() - 1).equals(b)) {
                out.add(b);
            }
        }
        return out;
    }
}
