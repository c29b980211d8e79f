package io.pgmigrate.verify;

import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * amcheck on a real PostgreSQL 18 (an upgraded cluster): the btree indexes on an ICU collation whose recorded version
 * is made old are checked and pass; an index whose order no longer matches its collation (the collation's ICU rules
 * changed under it in the catalog: what a changed ICU does to an index) fails, named with the server's error; and
 * nothing is left in the database: no amcheck extension when there was none, the installed one kept.
 */
class IndexAmcheckIT {
    private static PgCluster pg;

    @BeforeAll
    static void start() {
        pg = PgCluster.start(18);
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private static List<String> extensions(String db) {
        try (SqlSession s = pg.connect(db)) {
            return s.query("SELECT extname FROM pg_catalog.pg_extension ORDER BY extname").stream()
                    .map(r -> r.get("extname")).toList();
        }
    }

    private static void people(String db) {
        pg.createDatabase(db);
        pg.sql(db, "CREATE COLLATION phone (provider = icu, locale = 'und')",
                "CREATE TABLE people (id int, name text COLLATE phone, code text COLLATE \"C\")",
                "INSERT INTO people SELECT i, chr(97 + i % 26) || i, 'x' || i FROM generate_series(1, 500) i",
                "INSERT INTO people SELECT i, upper(chr(97 + i % 26)) || i, 'y' || i FROM generate_series(1, 500) i",
                "CREATE INDEX people_name ON people (name)",
                "CREATE INDEX people_code ON people (code)",
                "CREATE INDEX people_name_hash ON people USING hash (name)",
                "UPDATE pg_catalog.pg_collation SET collversion = '0.1' WHERE collname = 'phone'");
    }

    @Test
    void healthyIndexesOnAStaleCollationPassAndNothingIsLeftBehind() {
        people("healthy");

        List<IndexAmcheck.Outcome> outcomes = IndexAmcheck.run(List.of("healthy", "postgres"), pg::connect);
        CheckResult r = IndexAmcheck.result(outcomes);

        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.PASSED);
        assertThat(r.summary()).startsWith("1 of 1 btree index(es)");
        assertThat(outcomes).extracting(IndexAmcheck.Outcome::index)
                .containsExactlyInAnyOrder("\"public\".\"people_name\"", "\"public\".\"people_name_hash\"");
        assertThat(r.notes().get(0)).contains("people_name_hash\"", "is a hash index");
        assertThat(extensions("healthy")).containsExactly("plpgsql");

        pg.sql("healthy", "CREATE EXTENSION amcheck");
        assertThat(IndexAmcheck.result(IndexAmcheck.run(List.of("healthy"), pg::connect)).verdict())
                .isEqualTo(CheckResult.Verdict.PASSED);
        assertThat(extensions("healthy")).containsExactly("amcheck", "plpgsql");
    }

    @Test
    void anIndexOutOfItsCollationsOrderFails() {
        people("changed");
        // upper case first from now on: the index holds "a…" before "A…", which the collation no longer says
        pg.sql("changed", "UPDATE pg_catalog.pg_collation SET colllocale = 'und-u-kf-upper' WHERE collname = 'phone'");

        CheckResult r = IndexAmcheck.result(IndexAmcheck.run(List.of("changed"), pg::connect));

        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.FAILED);
        assertThat(r.problems()).singleElement().asString()
                .startsWith("db changed: index \"public\".\"people_name\" on \"public\".\"people\" (collation"
                        + " \"public\".\"phone\"): ")
                .contains("people_name")
                .endsWith("; REINDEX INDEX \"public\".\"people_name\"");
        assertThat(extensions("changed")).containsExactly("plpgsql");
    }
}
