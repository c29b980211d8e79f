package io.pgmigrate.verify;

import io.pgmigrate.plan.Action;
import io.pgmigrate.verify.KeyBuckets.Bucket;
import io.pgmigrate.verify.TableShape.Key;
import io.pgmigrate.verify.TableShape.KeyColumn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key ranges of a fingerprint: boundaries, their SQL, slices added up, and what a report says about them. */
class KeyBucketsTest {
    private static final TableRef T = new TableRef("shop", "public", "orders");
    private static final KeyColumn ID = new KeyColumn("id", "bigint", false);
    private static final KeyColumn NAME = new KeyColumn("Name \"x\"", "text", true);

    private static TableShape shape(KeyColumn... key) {
        return new TableShape(T, List.of(HashedColumn.of("id", "bigint", "int8", false)),
                key.length == 0 ? Key.NONE : new Key("orders_pkey", List.of(key)));
    }

    @Test
    void boundariesCutTheSampledRowsIntoRangesOfAboutEqualSize() {
        List<String> values = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        List<Long> ones = java.util.Collections.nCopies(10, 1L);
        assertThat(KeyBucketSql.bounds(values, ones, 5)).containsExactly("3", "5", "7", "9");
        assertThat(KeyBucketSql.bounds(values, ones, 64)).hasSize(9).startsWith("2");
        // a range ends once it holds its share of the rows: a value holding most of them ends the first one
        assertThat(KeyBucketSql.bounds(List.of("a", "b", "c", "d"), List.of(1L, 1L, 96L, 2L), 4)).containsExactly("d");
        assertThat(KeyBucketSql.bounds(List.of("a", "b", "c", "d"), List.of(30L, 30L, 30L, 10L), 4))
                .containsExactly("b", "c", "d");
        assertThat(KeyBucketSql.bounds(List.of("Zed", "ünï"), List.of(2000L, 2000L), 4)).containsExactly("ünï");
        assertThat(KeyBucketSql.bounds(List.of("a"), List.of(5L), 8)).isEmpty();
        assertThat(KeyBucketSql.bounds(List.of(), List.of(), 8)).isEmpty();
    }

    @Test
    void onlyAKeyWhoseFirstColumnHasAComparableTextFormIsCut() {
        assertThat(KeyBucketSql.column(shape(ID, NAME))).isEqualTo(ID);
        assertThat(KeyBucketSql.column(shape(NAME))).isEqualTo(NAME);
        assertThat(KeyBucketSql.column(shape())).isNull();
        assertThat(KeyBucketSql.column(shape(new KeyColumn("p", "point", false)))).isNull();
    }

    @Test
    void theSqlBucketsByWidthBucketUnderCollationCAndSamplesRepeatably() {
        assertThat(KeyBucketSql.bucket(NAME, List.of("b", "it's")))
                .isEqualTo("pg_catalog.width_bucket((\"Name \"\"x\"\"\" COLLATE \"C\"), ARRAY['b'::text, 'it''s'::text])");
        String sql = KeyBucketSql.fingerprint(shape(ID), new BlockRange(0, 100L), ID, List.of("10", "20"));
        assertThat(sql).startsWith("SELECT s.b, pg_catalog.count(*) AS rows, pg_catalog.sum(")
                .contains("pg_catalog.width_bucket(\"id\", ARRAY['10'::bigint, '20'::bigint]) AS b, ",
                        " FROM ONLY \"public\".\"orders\" WHERE ctid < '(100,0)'::pg_catalog.tid OFFSET 0) s")
                .endsWith(" GROUP BY s.b ORDER BY s.b");
        assertThat(KeyBucketSql.sample(shape(ID), ID, 0.5)).isEqualTo("SELECT s.k::pg_catalog.text AS k0, s.n FROM"
                + " (SELECT \"id\" AS k, pg_catalog.count(*) AS n FROM ONLY \"public\".\"orders\" TABLESAMPLE SYSTEM"
                + " (0.500000) REPEATABLE (4242) GROUP BY 1) s ORDER BY s.k");
    }

    @Test
    void slicesAddUpRangeByRange() {
        KeyBuckets a = new KeyBuckets(ID, List.of("10"), List.of(new Bucket(0, 2, "5"), new Bucket(1, 1, "-3")));
        KeyBuckets b = new KeyBuckets(ID, List.of("10"), List.of(new Bucket(1, 4, "18446744073709551616")));
        assertThat(a.plus(b).buckets()).containsExactly(new Bucket(0, 2, "5"), new Bucket(1, 5, "18446744073709551613"));
        TableFingerprint fa = new TableFingerprint(T, 3, "2", "c", Duration.ZERO, a);
        TableFingerprint fb = new TableFingerprint(T, 4, "18446744073709551616", "c", Duration.ZERO, b);
        assertThat(fa.plus(fb).buckets()).isEqualTo(a.plus(b));
        assertThat(fa.plus(new TableFingerprint(T, 1, "1", "c", Duration.ZERO)).buckets()).isNull();
        assertThatThrownBy(() -> a.plus(new KeyBuckets(ID, List.of("11"), List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyABaselineWithFingerprintsMeasuresKeyRanges() {
        io.pgmigrate.inventory.Inventory inv = io.pgmigrate.testing.Inventories.sample();
        assertThat(Verification.Settings.of(new Action.Verify(Action.Verify.Stage.BASELINE, Action.Verify.Scope.DATA,
                "exact", true, true), inv).keyRanges()).isTrue();
        assertThat(Verification.Settings.of(new Action.Verify(Action.Verify.Stage.COMPARE, Action.Verify.Scope.DATA,
                "exact", true, true), inv).keyRanges()).isFalse();
        assertThat(Verification.Settings.of(new Action.Verify(Action.Verify.Stage.BASELINE, Action.Verify.Scope.DATA,
                "exact", true, false), inv).keyRanges()).isFalse();
    }

    @Test
    void rangesAreNamedByTheKeyColumnAndTheirBoundaries() {
        KeyBuckets k = new KeyBuckets(ID, List.of("1001", "2001"), List.of());
        assertThat(k.range(0)).isEqualTo("id [start, 1001)");
        assertThat(k.range(1)).isEqualTo("id [1001, 2001)");
        assertThat(k.range(2)).isEqualTo("id [2001, end)");
        assertThat(k.bucket(2)).isEqualTo(new Bucket(2, 0, "0"));
    }

    @Test
    void aDifferingTableIsNamedByTheRangesThatDiffer() {
        KeyBuckets before = new KeyBuckets(ID, List.of("1001", "2001"), List.of(new Bucket(0, 1000, "1"),
                new Bucket(1, 1000, "2"), new Bucket(2, 10, "3")));
        KeyBuckets now = new KeyBuckets(ID, List.of("1001", "2001"), List.of(new Bucket(0, 999, "0"),
                new Bucket(1, 1000, "2"), new Bucket(2, 10, "4")));
        assertThat(BaselineNarrowing.describe(T, before, now)).isEqualTo("db shop: public.orders: differs in 2 of 3"
                + " key ranges: id [start, 1001) (1000 rows before, 999 now), id [2001, end) (10 rows before, 10 now)");
        assertThat(BaselineNarrowing.describe(T, before, null)).contains("its key column id differs on the new cluster");
        assertThat(BaselineNarrowing.describe(T, before, before)).contains("all match now");
    }
}
