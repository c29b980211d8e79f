package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue #13: tables whose existing rows violate NOT VALID constraints — a CHECK on a table, a CHECK on a domain, a
 * foreign key — legal on blue, where such a constraint applies to new rows only. The blue/green execution completes,
 * green holds the same rows, and the constraints are there, still NOT VALID, and enforced for new rows.
 */
class NotValidIT {
    private static final String CONSTRAINTS = "SELECT conname || ' ' || convalidated AS c FROM pg_catalog.pg_constraint"
            + " WHERE conname IN ('kids_amount_positive', 'kids_parent_fk', 'cents_not_negative') ORDER BY conname";
    private static final String ROWS = "SELECT string_agg(k.id || ':' || k.parent || ':' || k.amount || ':' || p.c,"
            + " ',' ORDER BY k.id) AS r FROM kids k JOIN prices p ON p.id = k.id";

    @TempDir
    Path dir;

    @Test
    void rowsThatViolateNotValidConstraintsAreCopiedAndTheConstraintsStayNotValid() throws Exception {
        try (PgCluster blue = PgCluster.create(15, PgCluster.Init.defaults())) {
            blue.appendConfig(List.of("wal_level = logical"));
            blue.startServer();
            BlueGreenIT.seed(blue);
            blue.sql("shop", "CREATE TABLE parents (id int PRIMARY KEY)",
                    "INSERT INTO parents VALUES (1)",
                    "CREATE TABLE kids (id int PRIMARY KEY, parent int, amount int)",
                    "INSERT INTO kids SELECT g, CASE WHEN g % 10 = 0 THEN 999 ELSE 1 END,"
                            + " CASE WHEN g % 7 = 0 THEN -g ELSE g END FROM generate_series(1, 200) g",
                    "ALTER TABLE kids ADD CONSTRAINT kids_amount_positive CHECK (amount > 0) NOT VALID",
                    "ALTER TABLE kids ADD CONSTRAINT kids_parent_fk FOREIGN KEY (parent) REFERENCES parents NOT VALID",
                    "CREATE DOMAIN cents AS int",
                    "CREATE TABLE prices (id int PRIMARY KEY, c cents)",
                    "INSERT INTO prices SELECT g, CASE WHEN g % 5 = 0 THEN -1 ELSE g END FROM generate_series(1, 200) g",
                    "ALTER DOMAIN cents ADD CONSTRAINT cents_not_negative CHECK (VALUE >= 0) NOT VALID");
            int greenPort = PgCluster.freePort();
            Path greenData = blue.root().resolve("green");
            Path inv = TestInventory.logical(dir, "notvalid", blue, greenData, greenPort,
                    "cutover:\n  switchCommand: [/bin/true]\n");
            try {
                CliRun plan = CliRun.of("plan", "-i", inv.toString(), "-o", dir.toString());
                assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
                CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("notvalid.plan.json").toString());
                assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
                assertThat(run.out()).containsSubsequence("run    replicate.defer-checks.shop",
                        "run    replicate.initial-copy.shop", "run    replicate.restore-checks.shop");
                try (SqlSession b = blue.connect("shop");
                     SqlSession g = JdbcSqlSession.open("127.0.0.1", greenPort, PgCluster.SUPERUSER, "shop",
                             "disable")) {
                    assertThat(g.query(ROWS).get(0).get("r")).as("the same rows, those that violate included")
                            .isEqualTo(b.query(ROWS).get(0).get("r")).contains(":999:", ":-7:", ":-1");
                    assertThat(g.query(CONSTRAINTS).stream().map(r -> r.get("c")).toList()).as("still NOT VALID")
                            .containsExactly("cents_not_negative false", "kids_amount_positive false",
                                    "kids_parent_fk false");
                    assertThatThrownBy(() -> g.execute("INSERT INTO kids VALUES (1000, 1, -5)"))
                            .hasMessageContaining("kids_amount_positive");
                    assertThatThrownBy(() -> g.execute("INSERT INTO prices VALUES (1000, -5)"))
                            .hasMessageContaining("cents_not_negative");
                }
            } finally {
                PgCluster.stopServerAt(greenData);
            }
        }
    }
}
