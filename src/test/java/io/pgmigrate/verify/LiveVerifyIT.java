package io.pgmigrate.verify;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgmigrate verify --live} between two running clusters, a PostgreSQL 15 source (blue) and a
 * PostgreSQL 18 target (green) loaded with the same data: the clean copy passes; a deleted row, a changed
 * value and a dropped index on the target are each caught and named, the rows by their keys; over SSH both
 * are reached through tunnels. An in-place inventory and an unreachable target are refused in one line.
 */
class LiveVerifyIT {
    private static PgCluster blue;
    private static PgCluster green;

    @TempDir
    Path dir;

    private static final String[] SEED = {
            "CREATE TYPE state AS ENUM ('new', 'paid')",
            "CREATE TABLE orders (id bigint PRIMARY KEY, s state, total numeric(10,2), at timestamptz)",
            "INSERT INTO orders SELECT i, 'paid', i, timestamptz '2025-01-01 00:00+00' + i * interval '1 minute'"
                    + " FROM generate_series(1, 20000) i",
            "CREATE INDEX orders_at ON orders (at)",
            "CREATE SCHEMA \"Sales Ü\"",
            "CREATE TABLE \"Sales Ü\".\"Order \"\"Lines\"\"\" (\"select\" int, tenant text, note text,"
                    + " PRIMARY KEY (tenant, \"select\"))",
            "INSERT INTO \"Sales Ü\".\"Order \"\"Lines\"\"\" SELECT i, 't' || (i % 3), 'n' || i"
                    + " FROM generate_series(1, 3000) i",
            "CREATE TABLE nokey (k int, v text)",
            "INSERT INTO nokey SELECT i % 10, 'v' FROM generate_series(1, 100) i",
            "ANALYZE"};

    @BeforeAll
    static void start() {
        blue = PgCluster.start(15);
        green = PgCluster.start(18);
        for (PgCluster pg : List.of(blue, green)) {
            pg.createDatabase("shop");
            pg.sql("shop", SEED);
        }
    }

    @AfterAll
    static void stop() {
        for (PgCluster pg : new PgCluster[] {blue, green}) {
            if (pg != null) {
                pg.close();
            }
        }
    }

    private Path inventory(String strategy, int targetPort) {
        return inventory(strategy, targetPort, TestInventory.localHost());
    }

    private Path inventory(String strategy, int targetPort, String hostBlock) {
        return TestInventory.write(dir.resolve("live.yaml"), "name: live\n"
                + "strategy: " + strategy + "\n"
                + "source:\n"
                + hostBlock
                + "  pg: { host: 127.0.0.1, port: " + blue.port() + ", user: postgres, database: postgres,"
                + " sslmode: disable }\n"
                + "  dataDir: " + blue.dataDir() + "\n"
                + "  binDir: " + blue.binDir() + "\n"
                + "target:\n"
                + "  version: 18\n"
                + "  binDir: " + Toolchain.binDir(18) + "\n"
                + "  dataDir: " + green.dataDir() + "\n"
                + "  port: " + targetPort + "\n"
                + "options:\n"
                + "  jobs: 2\n"
                + "  verify: { rowCounts: exact, fingerprints: true }\n"
                + "smokeQueries:\n"
                + "  - name: paid total\n"
                + "    database: shop\n"
                + "    sql: select count(*), sum(total) from orders where s = 'paid'\n");
    }

    private CliRun verifyLive(Path inventory) {
        return CliRun.of("verify", "--live", "-i", inventory.toString(), "-o", dir.resolve("reports").toString());
    }

    @Test
    void aCleanCopyPassesAndEachDifferenceOnTheTargetIsNamedDownToItsKeys() throws Exception {
        Path inv = inventory("logical", green.port());
        CliRun clean = verifyLive(inv);
        assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
        assertThat(clean.out()).contains("PASSED databases: 2 database(s) on the source, 2 on the target",
                "PASSED row counts: 3 tables: 3 counted exactly (23100 rows), all equal",
                "PASSED data fingerprints: 3 tables (23100 rows) with the same data", "PASSED schema: ",
                "PASSED smoke queries: 1 queries: 1 with the same result",
                "live verification passed; report " + dir.resolve("reports/live.verify-live.md"));
        String md = Files.readString(dir.resolve("reports/live.verify-live.md"));
        assertThat(md).startsWith("# Verification of live: PASSED")
                .contains("| compared | two live clusters of the inventory (`verify --live`)", "| source (old) | PostgreSQL 15.",
                        "| target (new) | PostgreSQL 18.");
        assertThat(Files.readString(dir.resolve("reports/live.verify-live.json"))).contains("\"checks\"");

        green.sql("shop", "DELETE FROM orders WHERE id = 7",
                "UPDATE \"Sales Ü\".\"Order \"\"Lines\"\"\" SET note = 'changed' WHERE \"select\" = 300",
                "UPDATE nokey SET v = 'w' WHERE ctid = (SELECT min(ctid) FROM nokey)",
                "DROP INDEX orders_at");
        try {
            CliRun tampered = verifyLive(inv);
            assertThat(tampered.exitCode()).as(tampered.err() + tampered.out()).isEqualTo(5);
            assertThat(tampered.out()).contains("FAILED row counts", "db shop: public.orders has 19999 rows, 20000 before (-1)",
                    "FAILED schema", "db shop: index public.orders_at: missing after",
                    "FAILED data fingerprints",
                    "db shop: public.orders: differing rows by key (id): (7) missing on the target",
                    "db shop: Sales Ü.Order \"Lines\": differing rows by key (tenant, select): (t0, 300) changed",
                    "db shop: public.nokey: not narrowed down to rows: it has no primary key",
                    "'paid total' (db shop) returns different rows",
                    "live verification FAILED (4 check(s)); report " + dir.resolve("reports/live.verify-live.md"));
            assertThat(Files.readString(dir.resolve("reports/live.verify-live.md")))
                    .startsWith("# Verification of live: FAILED")
                    .contains("db shop: public.orders: differing rows by key (id): (7) missing on the target");
        } finally {
            green.sql("shop", "INSERT INTO orders SELECT 7, 'paid', 7, timestamptz '2025-01-01 00:07+00'",
                    "UPDATE \"Sales Ü\".\"Order \"\"Lines\"\"\" SET note = 'n300' WHERE \"select\" = 300",
                    "UPDATE nokey SET v = 'v'", "CREATE INDEX orders_at ON orders (at)");
        }
    }

    /** A migration underway: pgmigrate's own publication on blue is by design, no schema difference. */
    @Test
    void pgmigratesOwnPublicationsAreNoDifference() {
        blue.sql("shop", "CREATE PUBLICATION pgmigrate_shop FOR ALL TABLES", "CREATE PUBLICATION other_pub");
        try {
            CliRun run = verifyLive(inventory("logical", green.port()));
            assertThat(run.exitCode()).as(run.out()).isEqualTo(5);
            assertThat(run.out()).contains("FAILED schema", "other_pub").doesNotContain("pgmigrate_shop");
        } finally {
            blue.sql("shop", "DROP PUBLICATION pgmigrate_shop", "DROP PUBLICATION other_pub");
        }
    }

    @Test
    void overSshBothClustersAreReachedThroughTunnels() {
        Path inv = inventory("logical", green.port(), TestInventory.sshHost(TestSshd.shared()) + "  tunnel: true\n");
        CliRun run = verifyLive(inv);
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("PASSED data fingerprints: 3 tables (23100 rows) with the same data",
                "live verification passed");
    }

    @Test
    void anInPlaceInventoryHasNoLiveTargetAndSaysSoInOneLine() {
        CliRun run = verifyLive(inventory("pg-upgrade", PgCluster.freePort()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).hasLineCount(1).contains("strategy pg-upgrade upgrades the cluster in place",
                "no live target to compare with", "pgmigrate verify -i ");
    }

    @Test
    void anUnreachableTargetIsNamedInOneLine() {
        int port = PgCluster.freePort();
        CliRun run = verifyLive(inventory("logical", port));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).hasLineCount(1).contains("the target (green, port " + port + ") cannot be reached",
                "127.0.0.1:" + port);
    }

    @Test
    void aPlanAndLiveTogetherAreRefused() {
        CliRun run = CliRun.of("verify", "--live", "-i", inventory("logical", green.port()).toString(), "x.plan.json");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("takes no PLAN");
    }
}
