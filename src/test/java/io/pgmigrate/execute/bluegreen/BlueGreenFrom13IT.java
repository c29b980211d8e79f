package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue #13: the blue/green strategy from a PostgreSQL 13 blue to an 18 green, end to end on real servers. The plan
 * raises no blocker on 13's catalog, says that the data is compared without fingerprints (13 cannot compute them), and
 * subscribes without what a 13 server does not know (origin = none on the reverse subscription); execute restarts blue
 * for wal_level = logical, copies the tables, sequences and large objects, shows the initial copy's progress and cuts
 * over with reverse replication to blue; green holds what blue held; writes on green (rows, a large object) reach blue
 * by the reverse replication and the rollback's copies, and the rollback puts clients back on blue with them.
 */
class BlueGreenFrom13IT {
    private static final String ORDERS = "SELECT count(*) || ':' || coalesce(sum(id), 0) || ':'"
            + " || coalesce(md5(string_agg(note, ',' ORDER BY id)), '-') AS r FROM orders";
    private static final String ITEMS = "SELECT count(*) || ':' || md5(string_agg(sku || '/' || qty || '/' || tags::text,"
            + " ',' ORDER BY sku)) AS r FROM \"Line Items\"";
    private static final String LARGE_OBJECTS = "SELECT string_agg(oid::text || '=' || md5(lo_get(oid)), ','"
            + " ORDER BY oid) AS r FROM pg_catalog.pg_largeobject_metadata";

    @TempDir
    Path dir;

    @Test
    void aPostgres13BlueMovesToAn18GreenWithReverseReplicationAndRollsBackWithGreensWrites() throws Exception {
        assumeTrue(Toolchain.has(13), "PostgreSQL 13 is not in the toolchain");
        try (PgCluster blue = PgCluster.start(13)) {
            seed(blue);
            int greenPort = PgCluster.freePort();
            Path greenData = blue.root().resolve("green");
            Path inv = TestInventory.logical(dir, "from13", blue, greenData, greenPort,
                    "cutover:\n  switchCommand: [/bin/true]\n");
            try {
                CliRun plan = CliRun.of("plan", "-i", inv.toString(), "-o", dir.toString());
                assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
                assertThat(plan.out()).contains("Plan for from13: PostgreSQL 13", "Status:    READY");
                String md = Files.readString(dir.resolve("from13.plan.md"));
                assertThat(md).doesNotContain("BLOCKER").contains("No data fingerprints from PostgreSQL 13");
                Path planFile = dir.resolve("from13.plan.json");

                CliRun run = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
                assertThat(run.out()).containsSubsequence("run    blue-restart.restart", "run    replicate.initial-copy.shop",
                        "initial copy of shop: 2 of 2 tables ready;", " copied (",
                        "run    cutover.freeze", "run    cutover.switch-clients", "run    post.verify",
                        "PASSED row counts");
                try (SqlSession b = blue.connect("shop"); SqlSession g = green(greenPort, "shop")) {
                    for (String q : List.of(ORDERS, ITEMS, LARGE_OBJECTS)) {
                        assertThat(one(g, q)).as(q).isEqualTo(one(b, q)).isNotNull();
                    }
                    assertThat(one(g, "SELECT server_version_num::int / 10000 AS r FROM"
                            + " (SELECT current_setting('server_version_num') AS server_version_num) v")).isEqualTo("18");
                    long blueMax = Long.parseLong(one(b, "SELECT max(id) AS r FROM orders"));
                    long onGreen = Long.parseLong(one(g, "INSERT INTO orders (note) VALUES ('written on green')"
                            + " RETURNING id AS r"));
                    assertThat(onGreen).as("green's sequence continues above blue's").isGreaterThan(blueMax);
                    g.execute("UPDATE \"Line Items\" SET qty = qty + 1 WHERE sku = 'sku-7'");
                    g.query("SELECT lo_from_bytea(30003, 'scanned on green') AS r");
                }

                // reverse replication carries green's writes to blue; once there, verify --live compares by row counts
                try (SqlSession b = blue.connect("shop")) {
                    long until = System.nanoTime() + 30_000_000_000L;
                    while (!"1".equals(one(b, "SELECT count(*) AS r FROM orders WHERE note = 'written on green'"))
                            && System.nanoTime() < until) {
                        Thread.sleep(100);
                    }
                    assertThat(one(b, "SELECT qty AS r FROM \"Line Items\" WHERE sku = 'sku-7'")).as("green's update")
                            .isEqualTo("8");
                }
                CliRun live = CliRun.of("verify", "--live", "-i", inv.toString(), "-o", dir.toString());
                assertThat(live.exitCode()).as(live.err() + live.out()).isZero();
                assertThat(live.out()).contains("no data fingerprints: PostgreSQL 13 cannot compute them",
                        "PASSED row counts");

                CliRun back = CliRun.of("rollback", "-i", inv.toString(), planFile.toString());
                assertThat(back.exitCode()).as(back.err() + back.out()).isZero();
                assertThat(back.out()).containsSubsequence("run    rollback.freeze", "run    rollback.switch-clients");
                try (SqlSession b = blue.connect("shop"); SqlSession g = green(greenPort, "shop")) {
                    assertThat(one(b, "SELECT count(*) AS r FROM orders WHERE note = 'written on green'"))
                            .as("green's write came back to blue").isEqualTo("1");
                    for (String q : List.of(ORDERS, ITEMS, LARGE_OBJECTS)) {
                        assertThat(one(b, q)).as(q).isEqualTo(one(g, q));
                    }
                    assertThat(one(b, LARGE_OBJECTS)).as("green's large object copied back").contains("30003=");
                    assertThat(Long.parseLong(one(b, "INSERT INTO orders (note) VALUES ('back on blue')"
                            + " RETURNING id AS r"))).as("blue's sequence continues above green's")
                            .isGreaterThan(Long.parseLong(one(g, "SELECT max(id) AS r FROM orders")));
                }
                CliRun clean = CliRun.of("cleanup", "-i", inv.toString(), planFile.toString());
                assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
                try (SqlSession b = blue.connect("postgres")) {
                    assertThat(b.query("SELECT slot_name FROM pg_catalog.pg_replication_slots")).isEmpty();
                    assertThat(b.query("SELECT subname FROM pg_catalog.pg_subscription")).isEmpty();
                }
            } finally {
                PgCluster.stopServerAt(greenData);
            }
        }
    }

    private static void seed(PgCluster blue) {
        blue.createDatabase("shop");
        blue.sql("postgres", "CREATE ROLE app LOGIN PASSWORD 'app-s3cret'");
        blue.sql("shop",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 3000) g",
                "CREATE TABLE \"Line Items\" (sku text PRIMARY KEY, qty int NOT NULL, tags text[])",
                "INSERT INTO \"Line Items\" SELECT 'sku-' || g, g, ARRAY['a' || g, 'b'] FROM generate_series(1, 200) g",
                "CREATE SEQUENCE ticket_seq",
                "SELECT nextval('ticket_seq') FROM generate_series(1, 40)",
                "SELECT lo_from_bytea(30001, 'scanned invoice')",
                "SELECT lo_from_bytea(30002, decode(repeat('ab', 100000), 'hex'))",
                "GRANT ALL ON orders, \"Line Items\" TO app",
                "ANALYZE");
    }

    private static SqlSession green(int port, String db) {
        return JdbcSqlSession.open("127.0.0.1", port, PgCluster.SUPERUSER, db, "disable");
    }

    private static String one(SqlSession s, String query) {
        return s.query(query).get(0).get("r");
    }
}
