package io.pgmigrate.verify;

import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.verify.RowCounter.RowCount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exact row counts on real servers: large tables cut into block slices add up to {@code count(*)} on
 * PostgreSQL 15 and 18 (rows deleted in the middle, rows only in the last blocks, partitions, awkward
 * names); counts inside a held snapshot see the data as it stood at the export, not what clients wrote
 * after it.
 */
class CountingIT {
    private static final String DB = "shop";
    private static final String[] DATA = {
            "CREATE TABLE public.big (id int PRIMARY KEY, pad text)",
            "INSERT INTO public.big SELECT i, repeat('x', 200) FROM generate_series(1, 20000) i",
            "DELETE FROM public.big WHERE id % 7 = 0 OR id BETWEEN 5000 AND 6000",
            "CREATE SCHEMA \"Odd \"\"Schema\"\" ü\"",
            "CREATE TABLE \"Odd \"\"Schema\"\" ü\".\"Select\" (k int, pad text)",
            "INSERT INTO \"Odd \"\"Schema\"\" ü\".\"Select\" SELECT i % 10, repeat('y', 300) FROM generate_series(1, 9000) i",
            "CREATE TABLE public.events (id int, tenant text) PARTITION BY LIST (tenant)",
            "CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a')",
            "CREATE TABLE public.events_b PARTITION OF public.events FOR VALUES IN ('b')",
            "INSERT INTO public.events SELECT i, CASE WHEN i % 3 = 0 THEN 'a' ELSE 'b' END FROM generate_series(1, 5000) i",
            "CREATE TABLE public.empty (id int)",
            "VACUUM ANALYZE",
    };

    private static PgCluster pg15;
    private static PgCluster pg18;

    @BeforeAll
    static void start() {
        pg15 = PgCluster.start(15);
        pg18 = PgCluster.start(18);
        for (PgCluster pg : List.of(pg15, pg18)) {
            pg.createDatabase(DB);
            pg.sql(DB, DATA);
        }
    }

    @AfterAll
    static void stop() {
        if (pg15 != null) {
            pg15.close();
        }
        if (pg18 != null) {
            pg18.close();
        }
    }

    @Test
    void slicedCountsAddUpToCountStarOnBothVersions() {
        for (PgCluster pg : List.of(pg15, pg18)) {
            // every table of 1 block or more is sliced, into slices of 20 blocks
            RowCounter sliced = new RowCounter(pg::connect, RowCounter.Options.exact(2), line -> { }, 8192, 20);
            Map<String, Long> counts = byName(sliced.count(List.of(DB)));
            assertThat(counts).as("PostgreSQL %d", pg.major()).isEqualTo(countStar(pg));
            assertThat(counts.get("public.big")).isEqualTo(20000 - 20000 / 7 - 1001 + 143);
        }
        // the slices were real: big spans several of them
        try (SqlSession s = pg18.connect(DB)) {
            assertThat(s.query("SELECT pg_relation_size('public.big') / 8192 AS pages").get(0).getLong("pages"))
                    .isGreaterThan(3 * 20);
        }
    }

    @Test
    void countsInAHeldSnapshotIgnoreWritesAfterTheExport() {
        Map<String, Long> before = countStar(pg18);
        try (HeldSnapshots held = HeldSnapshots.export(List.of(DB), pg18::connect)) {
            pg18.sql(DB, "INSERT INTO public.big SELECT i, 'late' FROM generate_series(100001, 100500) i",
                    "DELETE FROM public.events WHERE id <= 100", "INSERT INTO public.empty VALUES (1)");
            Function<String, SqlSession> inSnapshot = held.importing(pg18::connect);
            Map<String, Long> counted = byName(new RowCounter(inSnapshot, RowCounter.Options.exact(2), line -> { },
                    8192, 20).count(List.of(DB)));
            assertThat(counted).isEqualTo(before);
            assertThatThrownBy(() -> inSnapshot.apply("postgres")).hasMessageContaining("no snapshot is held in"
                    + " database \"postgres\"");
        } finally {
            pg18.sql(DB, "DELETE FROM public.big WHERE id > 100000", "DELETE FROM public.empty",
                    "INSERT INTO public.events SELECT i, CASE WHEN i % 3 = 0 THEN 'a' ELSE 'b' END"
                            + " FROM generate_series(1, 100) i");
        }
        assertThat(countStar(pg18)).isEqualTo(before);
    }

    private static Map<String, Long> byName(List<RowCount> counts) {
        assertThat(counts).allSatisfy(c -> assertThat(c.exact()).isTrue());
        return counts.stream().collect(Collectors.toMap(c -> c.table().schema() + "." + c.table().name(),
                RowCount::rows));
    }

    /** count(*) of every leaf table, one plain statement each. */
    private static Map<String, Long> countStar(PgCluster pg) {
        List<String[]> tables = new ArrayList<>();
        try (SqlSession s = pg.connect(DB)) {
            s.query("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')")
                    .forEach(r -> tables.add(new String[]{r.get("nspname"), r.get("relname")}));
            return tables.stream().collect(Collectors.toMap(t -> t[0] + "." + t[1], t -> s.query("SELECT count(*) AS n"
                    + " FROM ONLY " + new TableRef(DB, t[0], t[1]).sql()).get(0).getLong("n")));
        }
    }
}
