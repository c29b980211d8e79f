package io.pgmigrate.verify;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification on a real PostgreSQL 15 → 18 upgrade: execute measures the baseline and verifies the new
 * cluster against it (the report passes and shows statistics coverage); then rows deleted, statistics
 * removed and a smoke query's result changed on the new cluster are each caught by pgmigrate verify, and
 * the changed rows of a table with a key are narrowed to the key ranges the baseline recorded.
 */
class VerifyIT {
    @TempDir
    Path dir;

    private static void seed(PgCluster pg) {
        pg.createDatabase("shop");
        pg.sql("shop",
                "CREATE TYPE state AS ENUM ('new', 'paid')",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, s state, total numeric(10,2), at timestamptz DEFAULT now())",
                "INSERT INTO orders (s, total) SELECT 'paid', i FROM generate_series(1, 20000) i",
                "CREATE INDEX orders_at ON orders (at)",
                "CREATE SCHEMA \"Sales Ü\"",
                "CREATE TABLE \"Sales Ü\".\"Order \"\"Lines\"\"\" (\"select\" int, note text)",
                "INSERT INTO \"Sales Ü\".\"Order \"\"Lines\"\"\" SELECT i, 'n' || i FROM generate_series(1, 300) i",
                "CREATE TABLE events (id int, at date) PARTITION BY RANGE (at)",
                "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "INSERT INTO events SELECT i, date '2025-06-01' + (i % 400) FROM generate_series(1, 4000) i",
                "CREATE UNLOGGED TABLE cache (k int PRIMARY KEY)",
                "INSERT INTO cache SELECT generate_series(1, 50)",
                "CREATE MATERIALIZED VIEW totals AS SELECT s, sum(total) AS total FROM orders GROUP BY s",
                "ANALYZE");
    }

    @Test
    void aCleanUpgradePassesAndEachTamperingIsCaughtAndNamed() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            seed(pg);
            Path inventory = TestInventory.write(dir, "checked", pg, TestInventory.localHost(), "link", PgCluster.freePort());
            Files.writeString(inventory, """
                      verify: { rowCounts: exact, fingerprints: true }
                    smokeQueries:
                      - name: paid orders
                        database: shop
                        sql: select count(*), sum(total) from orders where s = 'paid'
                      - name: last lines
                        database: shop
                        sql: select * from "Sales Ü"."Order ""Lines""\" order by "select" desc limit 3
                    """, StandardOpenOption.APPEND);
            CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
            assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
            Path planFile = dir.resolve("checked.plan.json");

            CliRun run = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            // the seed was analysed and pg_upgrade carried the statistics: the outage does not wait for vacuumdb
            assertThat(run.out()).contains("no table or materialized view lacks statistics: vacuumdb not needed");
            assertThat(run.out()).contains("PASSED row counts: 5 tables: 5 counted exactly (24301 rows), all equal",
                    "PASSED row counts of unlogged tables", "PASSED smoke queries: 2 queries: 2 with the same result",
                    "PASSED schema: ", "PASSED data fingerprints: 5 tables (24350 rows) with the same data");
            String report = Files.readString(dir.resolve("checked.verify.md"));
            assertThat(report).startsWith("# Verification of checked: PASSED")
                    .containsPattern("\\| planner statistics \\| PASSED \\| statistics for (\\d+) of \\1 columns \\(100.0%\\)")
                    .contains("PostgreSQL 15.", "PostgreSQL 18.");
            assertThat(Files.readString(dir.resolve("checked.verify.json"))).contains("\"planDigest\"");

            pg.sql("shop", "DELETE FROM orders WHERE id = 7", "UPDATE orders SET total = 0 WHERE id = 15000",
                    "DELETE FROM pg_catalog.pg_statistic WHERE starelid = '\"Sales Ü\".\"Order \"\"Lines\"\"\"'::regclass",
                    "UPDATE \"Sales Ü\".\"Order \"\"Lines\"\"\" SET note = 'changed' WHERE \"select\" = 300",
                    "DROP INDEX orders_at");
            CliRun verify = CliRun.of("verify", "-i", inventory.toString(), planFile.toString());
            assertThat(verify.exitCode()).as(verify.err() + verify.out()).isEqualTo(5);
            assertThat(verify.out()).contains("FAILED row counts",
                    "db shop: public.orders has 19999 rows, 20000 before (-1)",
                    "db shop: Sales Ü.Order \"Lines\" has no column statistics for note, select",
                    "'last lines' (db shop) returns different rows",
                    "'paid orders' (db shop) returns different rows",
                    "FAILED schema", "db shop: index public.orders_at: missing after",
                    "FAILED data fingerprints", "db shop: Sales Ü.Order \"Lines\": ",
                    // the baseline's key ranges of orders (20 of 1000 ids), measured again on the new cluster
                    "db shop: public.orders: differs in 2 of 20 key ranges: id [start, 1001) (1000 rows before,"
                            + " 999 now), id [14001, 15001) (1000 rows before, 1000 now)",
                    "db shop: Sales Ü.Order \"Lines\": not narrowed to key ranges: the baseline has none for it",
                    "only the key ranges holding differences can be named, not the rows",
                    "verification FAILED (5 check(s)); report " + dir.resolve("checked.verify.md"));
            assertThat(Files.readString(dir.resolve("checked.verify.md"))).startsWith("# Verification of checked: FAILED")
                    .contains("| measured write outage |");
            pg.stopUpgraded();
        }
    }
}
