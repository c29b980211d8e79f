package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Events;
import io.pgmigrate.testing.OnJournalEvent;
import io.pgmigrate.testing.LedgerClient;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestPgbouncer;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.TestHost;
import io.pgmigrate.testing.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blue/green with blue and green on two hosts of their own, as in production: blue (PostgreSQL 15) on one test host,
 * green (18) made on the other, pgbouncer on the controller, where pgmigrate runs (its admin console reached from
 * blue's host, at the address the hosts see the controller at). Each host's server logs in to the other's with the
 * password in its own postgres user's ~/.pgpass. Green's host is frozen for 20 s (docker pause: a network partition)
 * while the initial copy runs; pgmigrate waits it out. A client writes through pgbouncer through the cutover (green
 * has blue's rows, row for row), a write on green, the reverse cutover (blue subscribed to green across the network)
 * and the rollback: every committed row is on blue at the end, the client saw no error, and cleanup leaves no
 * replication object on either host. Green's cluster exists on green's host only.
 */
class BlueGreenOnHostsIT {
    private static final String GREEN_DATA = "/var/lib/postgresql/18/main";

    @RegisterExtension
    final TestHosts hosts = TestHosts.named("blue", "green");

    @TempDir
    Path dir;

    @Test
    void cutoverReverseCutoverAndCleanupAcrossTwoHosts() throws Exception {
        HostCluster blue = HostCluster.create(hosts.host("blue"), 15, "/var/lib/postgresql/15/main", 5432);
        blue.appendConfig(List.of("wal_level = logical"));
        blue.startServer();
        HostCluster.givePassfile(hosts.host("green"));
        seed(blue);
        try (TestPgbouncer bouncer = TestPgbouncer.inFrontOf(blue.host().address(), blue.port(),
                blue.host().controllerAddress())) {
            Path inv = inventory(blue, bouncer);
            CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
            Path planFile = dir.resolve("hosts-bg.plan.json");
            String bouncerUrl = "jdbc:postgresql://127.0.0.1:" + bouncer.port() + "/shop";
            LedgerClient client = LedgerClient.start(bouncerUrl, "postgres", 1, 50);
            Thread.sleep(500);

            // green's host frozen for 20 s while the initial copy runs: a network partition from everyone's view
            TestHost greenHost = hosts.host("green");
            CliRun run;
            try (OnJournalEvent partition = OnJournalEvent.when(dir.resolve("hosts-bg.journal.jsonl"),
                    Events.started("replicate.initial-copy.shop"), () -> freeze(greenHost, 20))) {
                run = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                assertThat(partition.done()).isTrue();
            }
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(run.out()).containsSubsequence("run    green.initdb", "run    replicate.initial-copy.shop",
                    "run    cutover.freeze", "run    cutover.switch-clients", "run    cutover.resume");
            Thread.sleep(1000);
            assertThat(major(bouncerUrl)).as("clients reach green through pgbouncer").isEqualTo(18);
            assertThat(hosts.host("green").exec("cat", GREEN_DATA + "/PG_VERSION").strip()).isEqualTo("18");
            assertThat(hosts.host("blue").exec("sh", "-c", "test -e " + GREEN_DATA + " && echo there || echo absent")
                    .strip()).as("green's cluster is on green's host only").isEqualTo("absent");
            HostCluster green = HostCluster.at(hosts.host("green"), 18, GREEN_DATA, 5432);
            String orders = "SELECT count(*) || ' ' || md5(string_agg(id || ':' || note, ',' ORDER BY id)) FROM orders";
            assertThat(green.strings("shop", orders)).as("green has blue's orders, row for row")
                    .isEqualTo(blue.strings("shop", orders)).containsExactly("300000 " + expectedOrders(blue));
            assertThat(green.strings("shop", "SELECT subname FROM pg_subscription")).isEmpty();
            assertThat(blue.strings("shop", "SELECT subname FROM pg_subscription"))
                    .as("blue follows green over the network: the reverse subscription").isNotEmpty();
            long onGreen = longValue(bouncerUrl, "INSERT INTO orders (note) VALUES ('on green') RETURNING id");

            CliRun back = CliRun.of("rollback", "-i", inv.toString(), planFile.toString());
            assertThat(back.exitCode()).as(back.err() + back.out()).isZero();
            assertThat(back.out()).containsSubsequence("run    rollback.freeze", "run    rollback.switch-clients",
                    "run    rollback.resume");
            Thread.sleep(1000);
            client.stop(30, TimeUnit.SECONDS);

            assertThat(major(bouncerUrl)).as("clients are back on blue").isEqualTo(15);
            assertThat(client.errors()).as("errors the client saw").isEmpty();
            assertThat(client.committedIds().size()).as("writes before, during and after both switches")
                    .isGreaterThan(100);
            assertThat(LedgerClient.missingOn(blue.url("shop"), "postgres", client.committedIds()))
                    .as("committed rows missing on blue, which serves at the end").isEmpty();
            assertThat(blue.longValue("shop", "SELECT count(*) FROM orders WHERE id = " + onGreen))
                    .as("green's own write came back to blue").isOne();

            CliRun clean = CliRun.of("cleanup", "-i", inv.toString(), planFile.toString());
            assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
            for (HostCluster c : List.of(blue, green)) {
                assertThat(c.strings("postgres", "SELECT slot_name FROM pg_replication_slots")).as("slots").isEmpty();
                assertThat(c.strings("shop", "SELECT pubname FROM pg_publication")).as("publications").isEmpty();
                assertThat(c.strings("shop", "SELECT subname FROM pg_subscription")).as("subscriptions").isEmpty();
            }
        } finally {
            blue.stopServer();
        }
    }

    /** The checksum of the seeded orders, computed on blue from the rows as seeded, not read back from a table. */
    private static String expectedOrders(HostCluster blue) {
        return blue.strings("postgres", "SELECT md5(string_agg(g || ':n' || g, ',' ORDER BY g))"
                + " FROM generate_series(1, 300000) g").get(0);
    }

    private static void freeze(TestHost host, int seconds) {
        host.pause();
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            host.unpause();
        }
    }

    private static void seed(HostCluster blue) {
        blue.sql("postgres", "CREATE DATABASE shop");
        blue.sql("shop", LedgerClient.TABLE_DDL,
                "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 300000) g",
                "ANALYZE");
    }

    private Path inventory(HostCluster blue, TestPgbouncer bouncer) {
        return TestInventory.logicalOnHosts(dir.resolve("hosts-bg.yaml"), "hosts-bg", blue, hosts.host("green"),
                hosts.knownHosts(), io.pgmigrate.testing.Toolchain.binDir(18).toString(), GREEN_DATA,
                bouncer.inventoryYaml() + "  switchCommand: [" + bouncer.switchScript(dir) + "]\n");
    }

    private static int major(String url) throws Exception {
        return (int) (longValue(url, "SHOW server_version_num") / 10000);
    }

    private static long longValue(String url, String sql) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(url + "?preferQueryMode=simple", "postgres", "");
             var st = c.createStatement(); var r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
