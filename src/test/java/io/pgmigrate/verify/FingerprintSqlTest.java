package io.pgmigrate.verify;

import io.pgmigrate.verify.HashedColumn.Hashing;
import io.pgmigrate.verify.TableShape.Key;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fingerprint SQL as a server receives it, for names a DBA does meet. */
class FingerprintSqlTest {
    private static final TableRef ODD = new TableRef("shop", "Ünïcode \"sch\"", "order items");

    private static TableShape shape(HashedColumn... columns) {
        return new TableShape(ODD, List.of(columns), Key.NONE);
    }

    @Test
    void typesWithAnExactValueHashAreHashedDirectlyAndTheRestAsText() {
        assertThat(HashedColumn.of("id", "bigint", "int8", false).hashing()).isEqualTo(Hashing.TYPE_HASH);
        assertThat(HashedColumn.of("at", "timestamp with time zone", "timestamptz", false).hashing())
                .isEqualTo(Hashing.TYPE_HASH);
        for (String lossyOrOidBound : List.of("numeric", "float8", "float4", "interval", "jsonb", "json", "money",
                "regclass", "_int4", "int4range", "record", "point", "inet")) {
            assertThat(HashedColumn.of("c", lossyOrOidBound, lossyOrOidBound, false).hashing())
                    .as(lossyOrOidBound).isEqualTo(Hashing.TEXT);
        }
        // an enum, a composite, an extension's type: no pg_catalog base type
        assertThat(HashedColumn.of("mood", "public.mood", null, false).hashing()).isEqualTo(Hashing.TEXT);
    }

    @Test
    void columnsAreHashedByTheirTypesFunctionWithNamesQuotedAndTextByItsBytes() {
        assertThat(HashedColumn.of("Select \"x\"", "integer", "int4", false).hash(7))
                .isEqualTo("pg_catalog.hashint4extended(\"Select \"\"x\"\"\", 7)");
        assertThat(HashedColumn.of("name", "text", "text", false).hash(7))
                .isEqualTo("pg_catalog.hashtextextended((\"name\" COLLATE \"C\"), 7)");
        assertThat(HashedColumn.of("v", "character varying(20)", "varchar", false).hash(7))
                .isEqualTo("pg_catalog.hashtextextended((\"v\"::pg_catalog.text COLLATE \"C\"), 7)");
        assertThat(HashedColumn.of("ok", "boolean", "bool", false).hash(7))
                .isEqualTo("pg_catalog.hashint4extended(\"ok\"::pg_catalog.int4, 7)");
        assertThat(HashedColumn.of("mood", "public.mood", null, false).hash(7))
                .isEqualTo("pg_catalog.hashtextextended((\"mood\"::pg_catalog.text COLLATE \"C\"), 7)");
        // a domain over an exactly hashed type: hashed as its base type
        assertThat(HashedColumn.of("qty", "public.positive", "int4", true).hash(7))
                .isEqualTo("pg_catalog.hashint4extended(\"qty\"::pg_catalog.int4, 7)");
        // no SQL-callable hash function before 18: hashed inside a ROW by the type's own hash
        HashedColumn at = HashedColumn.of("at", "timestamp with time zone", "timestamptz", false);
        assertThat(at.direct()).isFalse();
        assertThat(at.rowElement()).isEqualTo("\"at\"");
    }

    @Test
    void aTableFingerprintReadsOnlyItsOwnRowsOnceAndSumsMixedRowHashes() {
        String sql = FingerprintSql.fingerprint(shape(HashedColumn.of("a b", "integer", "int4", false),
                HashedColumn.of("bin", "bytea", "bytea", false), HashedColumn.of("ünï", "numeric", "numeric", false)),
                BlockRange.WHOLE);
        long seed = FingerprintSql.SEED;
        assertThat(sql).isEqualTo("SELECT pg_catalog.count(*) AS rows, pg_catalog.sum(pg_catalog.hashint8extended(s.h, s.h))"
                + " AS hash FROM (SELECT (COALESCE(pg_catalog.hashint4extended(\"a b\", " + (seed + 1) + "), '"
                + FingerprintSql.nullMarker(0) + "'::pg_catalog.int8)"
                + " # COALESCE(pg_catalog.hashtextextended((\"ünï\"::pg_catalog.text COLLATE \"C\"), " + (seed + 3) + "), '"
                + FingerprintSql.nullMarker(2) + "'::pg_catalog.int8)"
                + " # pg_catalog.hash_record_extended(ROW(\"bin\"), " + seed + "))"
                + " AS h FROM ONLY \"Ünïcode \"\"sch\"\"\".\"order items\" OFFSET 0) s");
    }

    @Test
    void eachPositionHasItsOwnNullMarker() {
        assertThat(java.util.stream.IntStream.range(0, 1000).mapToLong(FingerprintSql::nullMarker).distinct().count())
                .isEqualTo(1000);
    }

    @Test
    void aTableWithoutColumnsStillCountsItsRows() {
        assertThat(FingerprintSql.fingerprint(shape(), BlockRange.WHOLE)).contains("SELECT '0'::pg_catalog.int8 AS h");
    }

    @Test
    void slicesSelectBlockRangesTheLastOneOpenToTheEnd() {
        TableShape s = shape(HashedColumn.of("id", "integer", "int4", false));
        assertThat(FingerprintSql.fingerprint(s, new BlockRange(0, 100L)))
                .contains(" WHERE ctid < '(100,0)'::pg_catalog.tid OFFSET 0");
        assertThat(FingerprintSql.fingerprint(s, new BlockRange(100, 200L)))
                .contains(" WHERE ctid >= '(100,0)'::pg_catalog.tid AND ctid < '(200,0)'::pg_catalog.tid OFFSET 0");
        assertThat(FingerprintSql.fingerprint(s, new BlockRange(200, null)))
                .contains(" WHERE ctid >= '(200,0)'::pg_catalog.tid OFFSET 0");
    }

    @Test
    void largeTablesAreSlicedSmallOnesAreNot() {
        assertThat(Fingerprinter.slices(0, 100)).containsExactly(BlockRange.WHOLE);
        assertThat(Fingerprinter.slices(149, 100)).containsExactly(BlockRange.WHOLE);
        assertThat(Fingerprinter.slices(150, 100))
                .containsExactly(new BlockRange(0, 75L), new BlockRange(75, null));
        List<BlockRange> ten = Fingerprinter.slices(163_935, Fingerprinter.DEFAULT_SLICE_PAGES);
        assertThat(ten).hasSize(10);
        assertThat(ten.get(0).from()).isZero();
        assertThat(ten.get(9).to()).isNull();
        for (int i = 1; i < ten.size(); i++) {
            assertThat(ten.get(i).from()).isEqualTo(ten.get(i - 1).to());
        }
    }

    @Test
    void theColumnsDigestChangesWithANameATypeOrTheHashing() {
        TableShape a = shape(HashedColumn.of("id", "integer", "int4", false));
        assertThat(a.columnsDigest()).hasSize(16).isEqualTo(shape(HashedColumn.of("id", "integer", "int4", false)).columnsDigest());
        assertThat(shape(HashedColumn.of("Id", "integer", "int4", false)).columnsDigest()).isNotEqualTo(a.columnsDigest());
        assertThat(shape(HashedColumn.of("id", "bigint", "int8", false)).columnsDigest()).isNotEqualTo(a.columnsDigest());
        assertThat(shape(HashedColumn.of("id", "integer", null, false)).columnsDigest()).isNotEqualTo(a.columnsDigest());
    }
}
