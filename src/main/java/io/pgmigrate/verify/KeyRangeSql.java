package io.pgmigrate.verify;

import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.verify.TableShape.KeyColumn;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The SQL that narrowing runs on both clusters: key boundaries, per-bucket fingerprints of a key
 * range, and the keys and row hashes of a small range. Key values travel as printed text (pinned
 * settings) and come back as {@code 'text'::type} literals; columns with a collation are ordered and
 * compared under "C". Result columns are named by position ({@code k0}, {@code k1}, …, {@code h}),
 * never by the table's own column names.
 */
public final class KeyRangeSql {
    private KeyRangeSql() {
    }

    /** The key columns as one comparable SQL value: a column, or a row of them. */
    static String keyExpression(List<KeyColumn> key) {
        List<String> parts = key.stream().map(KeyRangeSql::column).toList();
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(", ", parts) + ")";
    }

    private static String column(KeyColumn k) {
        String q = SqlIdentifiers.quote(k.name());
        return k.collatable() ? "(" + q + " COLLATE \"C\")" : q;
    }

    /** A key value as literals cast to the key columns' types, shaped like {@link #keyExpression}. */
    static String keyLiteral(List<KeyColumn> key, List<String> values) {
        if (values.size() != key.size()) {
            throw new IllegalArgumentException(values.size() + " values for a key of " + key.size() + " columns");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            String v = values.get(i);
            parts.add(v == null ? "NULL::" + key.get(i).type() : SqlIdentifiers.literal(v) + "::" + key.get(i).type());
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(", ", parts) + ")";
    }

    /** {@code WHERE ...} selecting a key range, or "" for all rows. */
    static String where(List<KeyColumn> key, KeyRange range) {
        List<String> conditions = new ArrayList<>();
        if (range.lower() != null) {
            conditions.add(keyExpression(key) + " >= " + keyLiteral(key, range.lower()));
        }
        if (range.upper() != null) {
            conditions.add(keyExpression(key) + " < " + keyLiteral(key, range.upper()));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static String orderBy(List<KeyColumn> key) {
        return key.stream().map(KeyRangeSql::column).collect(Collectors.joining(", "));
    }

    private static String printedKey(List<KeyColumn> key) {
        return IntStream.range(0, key.size())
                .mapToObj(i -> SqlIdentifiers.quote(key.get(i).name()) + "::pg_catalog.text AS k" + i)
                .collect(Collectors.joining(", "));
    }

    private static String rawKey(List<KeyColumn> key) {
        return IntStream.range(0, key.size())
                .mapToObj(i -> SqlIdentifiers.quote(key.get(i).name()) + " AS k" + i)
                .collect(Collectors.joining(", "));
    }

    private static String keyAliases(int n, String alias) {
        return IntStream.range(0, n).mapToObj(i -> alias + ".k" + i).collect(Collectors.joining(", "));
    }

    private static String keyAliasesAsText(int n, String alias) {
        return IntStream.range(0, n).mapToObj(i -> alias + ".k" + i + "::pg_catalog.text AS k" + i)
                .collect(Collectors.joining(", "));
    }

    /**
     * Every {@code step}-th key of the range in key order (the step-th, 2·step-th, …): boundaries that
     * cut it into buckets of about {@code step} rows. Columns {@code k0…}.
     */
    public static String boundaries(TableShape shape, KeyRange range, long step) {
        List<KeyColumn> key = shape.key().columns();
        return "SELECT " + keyAliasesAsText(key.size(), "s") + " FROM (SELECT " + rawKey(key)
                + ", pg_catalog.row_number() OVER (ORDER BY " + orderBy(key) + ") AS rn FROM ONLY "
                + shape.table().sql() + where(key, range) + ") s WHERE s.rn % " + step + " = 0 ORDER BY s.rn";
    }

    /**
     * The fingerprint of each bucket of a range cut at the given boundaries (ascending): columns
     * {@code b} (0 below the first boundary … n at or above the last), {@code rows}, {@code hash}; only
     * buckets that have rows.
     */
    public static String buckets(TableShape shape, KeyRange range, List<List<String>> boundaries) {
        List<KeyColumn> key = shape.key().columns();
        StringBuilder bucket = new StringBuilder(boundaries.isEmpty() ? "0" : "CASE");
        for (int i = 0; i < boundaries.size(); i++) {
            bucket.append(" WHEN ").append(keyExpression(key)).append(" < ")
                    .append(keyLiteral(key, boundaries.get(i))).append(" THEN ").append(i);
        }
        if (!boundaries.isEmpty()) {
            bucket.append(" ELSE ").append(boundaries.size()).append(" END");
        }
        return "SELECT s.b, " + FingerprintSql.aggregates("s") + " FROM (SELECT " + bucket + " AS b, "
                + FingerprintSql.rowHash(shape.columns()) + " AS h FROM ONLY " + shape.table().sql()
                + where(key, range) + " OFFSET 0) s GROUP BY s.b ORDER BY s.b";
    }

    /** The key ({@code k0…}) and mixed row hash ({@code h}) of every row of a range, in key order. */
    public static String rows(TableShape shape, KeyRange range) {
        List<KeyColumn> key = shape.key().columns();
        return "SELECT " + keyAliases(key.size(), "s") + ", " + FingerprintSql.mixed("s") + "::pg_catalog.text AS h"
                + " FROM (SELECT " + printedKey(key) + ", " + FingerprintSql.rowHash(shape.columns())
                + " AS h FROM ONLY " + shape.table().sql() + where(key, range) + " ORDER BY " + orderBy(key)
                + " OFFSET 0) s";
    }
}
