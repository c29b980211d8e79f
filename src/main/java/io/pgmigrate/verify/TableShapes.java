package io.pgmigrate.verify;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.verify.TableShape.Key;
import io.pgmigrate.verify.TableShape.KeyColumn;

import java.util.List;

/** Reads a table's {@link TableShape} from the catalog (on a session with {@link PinnedSettings}). */
final class TableShapes {
    /**
     * Columns in bytewise name order, without dropped and generated ones (generated values follow
     * from the others, and a virtual one on 18 is computed, not stored). The pg_catalog type name of
     * the column's type, or of the type a domain is directly over, decides its hashing.
     */
    private static final String COLUMNS = """
            SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
                   t.typtype = 'd' AS domain,
                   CASE WHEN bn.nspname = 'pg_catalog' AND b.typtype <> 'd' THEN b.typname END AS base
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            JOIN pg_catalog.pg_namespace bn ON bn.oid = b.typnamespace
            WHERE a.attrelid = ?::pg_catalog.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            ORDER BY a.attname COLLATE "C"
            """;

    /**
     * The key narrowing matches rows by: the primary key, else the unique index with the fewest key
     * columns (then by name) that is valid, not partial, has no expressions, and whose key columns
     * are all NOT NULL. Its key columns in index order (INCLUDE columns left out), with their types
     * without modifiers (format_type with -1: 'bpchar', not 'character', which would mean char(1)).
     */
    private static final String KEY = """
            WITH k AS (
              SELECT i.indexrelid, i.indkey, i.indnkeyatts, ic.relname
              FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
              WHERE i.indrelid = ?::pg_catalog.oid AND i.indisunique AND i.indisvalid
                AND i.indpred IS NULL AND i.indexprs IS NULL
                AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[]) u(attnum)
                                JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum
                                WHERE NOT a.attnotnull)
              ORDER BY i.indisprimary DESC, i.indnkeyatts, ic.relname COLLATE "C" LIMIT 1)
            SELECT k.relname AS index, a.attname AS name, pg_catalog.format_type(a.atttypid, -1) AS type,
                   a.attcollation <> 0 AS collatable
            FROM k, pg_catalog.unnest(k.indkey::pg_catalog.int2[]) WITH ORDINALITY u(attnum, n)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = ?::pg_catalog.oid AND a.attnum = u.attnum
            WHERE u.n <= k.indnkeyatts
            ORDER BY u.n""";

    private TableShapes() {
    }

    static TableShape read(SqlSession session, TableRef table) {
        List<SqlRow> found = session.query("SELECT pg_catalog.to_regclass(?)::pg_catalog.oid AS oid", table.sql());
        String oid = found.get(0).get("oid");
        if (oid == null) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "table " + table.sql() + " does not exist in database "
                    + table.database() + " (" + session.database() + ")");
        }
        long relid = Long.parseLong(oid);
        List<HashedColumn> columns = session.query(COLUMNS, relid).stream()
                .map(r -> HashedColumn.of(r.get("name"), r.get("type"), r.get("base"), r.getBool("domain")))
                .toList();
        List<SqlRow> keyRows = session.query(KEY, relid, relid);
        Key key = keyRows.isEmpty() ? Key.NONE : new Key(keyRows.get(0).get("index"), keyRows.stream()
                .map(r -> new KeyColumn(r.get("name"), r.get("type"), r.getBool("collatable")))
                .toList());
        return new TableShape(table, columns, key);
    }
}
