package io.pgmigrate.execute;

import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog query that decides whether {@code vacuumdb --missing-stats-only} needs to run, on a real
 * PostgreSQL 18: it finds what vacuumdb would analyse (a table never analysed, extended statistics
 * without data, an expression index without statistics), and after vacuumdb has run it finds nothing in
 * any database vacuumdb --all visits, templates included.
 */
class MissingStatisticsIT {
    private static final List<String> DATABASES = List.of("postgres", "template1", "shop");

    @Test
    void findsWhatVacuumdbWouldAnalyseAndNothingAfterIt() throws Exception {
        try (PgCluster pg = PgCluster.start(18)) {
            pg.createDatabase("shop");
            pg.sql("shop", "CREATE TABLE analysed (id int PRIMARY KEY, a int, b int)",
                    "INSERT INTO analysed SELECT i, i % 10, i % 10 FROM generate_series(1, 1000) i",
                    "CREATE TABLE \"Empty \"\"One\"\"\" (id int)", "ANALYZE");
            vacuumdb(pg); // whatever initdb left for the templates
            assertThat(missing(pg)).as("everything analysed").isEqualTo(Map.of("postgres", 0L, "shop", 0L,
                    "template1", 0L));

            pg.sql("shop", "CREATE TABLE fresh (id int)", "INSERT INTO fresh SELECT generate_series(1, 100)");
            assertThat(missing(pg)).containsEntry("shop", 1L);
            vacuumdb(pg);
            assertThat(missing(pg)).containsEntry("shop", 0L);

            pg.sql("shop", "CREATE STATISTICS ab ON a, b FROM analysed");
            assertThat(missing(pg)).as("extended statistics without data").containsEntry("shop", 1L);
            vacuumdb(pg);
            assertThat(missing(pg)).containsEntry("shop", 0L);

            pg.sql("shop", "CREATE INDEX ON analysed ((a + b))");
            assertThat(missing(pg)).as("an expression index without statistics").containsEntry("shop", 1L);
            vacuumdb(pg);
            assertThat(missing(pg)).isEqualTo(Map.of("postgres", 0L, "shop", 0L, "template1", 0L));
        }
    }

    private static Map<String, Long> missing(PgCluster pg) {
        Map<String, Long> out = new TreeMap<>();
        for (String db : DATABASES) {
            try (SqlSession s = pg.connect(db)) {
                out.put(db, MissingStatistics.relations(s));
            }
        }
        return out;
    }

    private static void vacuumdb(PgCluster pg) throws Exception {
        Process p = new ProcessBuilder(pg.binDir().resolve("vacuumdb").toString(), "--all", "--analyze-in-stages",
                "--missing-stats-only", "--quiet", "--host=127.0.0.1", "--port=" + pg.port(), "--username=postgres")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
