package io.pgmigrate.execute.inplace;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.KilledRun;
import io.pgmigrate.testing.LedgerClient;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestPgbouncer;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.HostReplicaSet;
import io.pgmigrate.testing.hosts.PatroniCluster;
import io.pgmigrate.testing.hosts.TestHost;
import io.pgmigrate.testing.hosts.TestHosts;
import io.pgmigrate.transport.PatroniMember;
import io.pgmigrate.transport.PatroniTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code execute} of a 3-member Patroni 3.0.2 cluster of PostgreSQL 15 (pg1 leads, pg2 and pg3 replicas, etcd on a host
 * of its own), link mode, its replicas rsynced (issue #15). First a pg_upgrade that fails (a view 18 cannot restore,
 * added after the plan): the rollback leaves the cluster on 15, every member running under Patroni, not paused. Then,
 * the view gone and a new plan made, the upgrade itself with a client writing through pgbouncer in front of the
 * leader, after a dry run, and with pgmigrate killed once Patroni is stopped everywhere and patroni.yml edited: execute
 * run again completes; Patroni reports 3 members on 18, one leader, lag 0, no committed row is lost, and a switchover
 * works.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniUpgradeIT {
    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("etcd", "pg1", "pg2", "pg3");

    private static PatroniCluster cluster;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        cluster = PatroniCluster.start(List.of(HOSTS.host("pg1"), HOSTS.host("pg2"), HOSTS.host("pg3")),
                HOSTS.host("etcd"), 15);
        leader().sql("postgres", "CREATE DATABASE shop");
        leader().sql("shop", LedgerClient.TABLE_DDL, "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 20000) g", "ANALYZE");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HostCluster leader() {
        return HostCluster.at(HOSTS.host("pg1"), cluster.major(), PatroniCluster.dataDir(cluster.major()),
                PatroniCluster.PG_PORT);
    }

    private static Path inventory(String name, String more) {
        HostCluster primary = cluster.postgres(HOSTS.host("pg1"));
        List<HostCluster> standbys = List.of(cluster.postgres(HOSTS.host("pg2")), cluster.postgres(HOSTS.host("pg3")));
        String rest = cluster.members().stream().map(h -> "\"" + cluster.restEndpoint(h) + "\"")
                .collect(Collectors.joining(", "));
        return TestInventory.inPlaceOnHosts(dir.resolve(name + ".yaml"), name, primary, standbys, HOSTS.knownHosts(),
                "link", "ha:\n  patroni:\n    config: " + PatroniCluster.CONFIG + "\n    rest: [ " + rest + " ]\n"
                        + PatroniCluster.commandsYaml() + more);
    }

    private static Path plan(Path inventory, String name) {
        CliRun run = CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return dir.resolve(name + ".plan.json");
    }

    @Test
    @Order(1)
    void aFailingPgUpgradeRollsBackToFifteenUnderPatroniNotPaused() {
        Path inv = inventory("fails", "");
        Path planFile = plan(inv, "fails");
        // PostgreSQL 18 cannot restore this view: pg_upgrade fails mid-run, after the old cluster stopped
        leader().sql("shop", "CREATE VIEW bgw AS SELECT checkpoints_timed FROM pg_catalog.pg_stat_bgwriter");

        CliRun run = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
        System.out.println(run.out());
        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(4);
        assertThat(run.out()).contains("outage.pg-upgrade failed", "Rolled back", "started Patroni on pg1",
                "started Patroni on pg2", "started Patroni on pg3", "resumed Patroni");

        PatroniTopology t = cluster.waitHealthy(Duration.ofMinutes(2));
        assertThat(t.paused()).as("Patroni no longer paused").isFalse();
        assertThat(t.leader().map(PatroniMember::name)).contains("pg1");
        for (TestHost h : cluster.members()) {
            assertThat(cluster.patroniRunning(h)).as("Patroni runs on " + h.name()).isTrue();
            assertThat(cluster.rest(h).node().serverVersion() / 10000).as(h.name()).isEqualTo(15);
            assertThat(h.exec("sh", "-c", "grep -c 'data_dir: /var/lib/postgresql/15/main' " + PatroniCluster.CONFIG
                    + "; ls " + PatroniCluster.CONFIG + ".pgmigrate-old 2>/dev/null | wc -l").strip())
                    .as("patroni.yml on " + h.name() + " as it was, no kept copy left").isEqualTo("1\n0");
        }
        leader().sql("shop", "DROP VIEW bgw");
    }

    @Test
    @Order(2)
    void linkUpgradesTheClusterUnderPatroniWithOnlyTheWriteOutage() throws Exception {
        try (TestPgbouncer bouncer = TestPgbouncer.inFrontOf(HOSTS.host("pg1").address(), PatroniCluster.PG_PORT,
                HOSTS.host("pg1").controllerAddress())) {
            Path inv = inventory("patroni", bouncer.inventoryYaml());
            Path planFile = plan(inv, "patroni");
            String bouncerUrl = "jdbc:postgresql://127.0.0.1:" + bouncer.port() + "/shop";
            LedgerClient client = LedgerClient.start(bouncerUrl, "postgres", 1, 50);
            Thread.sleep(500);

            CliRun dry = CliRun.of("execute", "--dry-run", "-i", inv.toString(), planFile.toString());
            assertThat(dry.exitCode()).as(dry.err() + dry.out()).isZero();
            assertThat(dry.out()).contains("stop Patroni on pg2: sh -c", "wait until pg1 leads on PostgreSQL 18");
            assertThat(cluster.waitHealthy(Duration.ofSeconds(30)).paused()).as("the dry run changed nothing")
                    .isFalse();

            // killed once Patroni is stopped everywhere and every patroni.yml names 18, before the DCS forgets 15
            KilledRun.Result killed = KilledRun.run(List.of("execute", "-i", inv.toString(), planFile.toString()),
                    KilledRun.Point.started("outage.patroni-forget-old-cluster"), Duration.ofMinutes(4), null);
            assertThat(killed.killed()).as(killed.console()).isTrue();
            CliRun run = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            System.out.println(run.out());
            assertThat(run.out()).contains("done   outage.patroni-config.pg3 (in an earlier run)",
                    "run    outage.patroni-forget-old-cluster");
            assertThat(run.out()).containsPattern("write outage [0-9.]+s; highly available again after [0-9.]+s");
            assertThat(run.out()).as("the data compared with the baseline, in the snapshot taken as clients returned")
                    .containsSubsequence("run    outage.patroni-forget-old-cluster", "run    outage.start-new",
                            "run    post.resume-clients", "run    post.patroni-start.pg2", "run    post.verify");
            Thread.sleep(1000);
            client.stop(30, TimeUnit.SECONDS);
            cluster.upgradedTo(18);

            PatroniTopology t = cluster.waitHealthy(Duration.ofMinutes(2));
            assertThat(t.members()).hasSize(3);
            assertThat(t.leader().map(PatroniMember::name)).contains("pg1");
            assertThat(t.paused()).isFalse();
            for (TestHost h : cluster.members()) {
                assertThat(cluster.rest(h).node().serverVersion() / 10000).as(h.name()).isEqualTo(18);
                assertThat(h.exec("cat", PatroniCluster.CONFIG)).as("patroni.yml on " + h.name())
                        .contains("data_dir: /var/lib/postgresql/18/main", "bin_dir: " + io.pgmigrate.testing
                                .Toolchain.binDir(18), "unix_socket_directories: /tmp")
                        .doesNotContain("vacuum_defer_cleanup_age", "/15/");
            }
            HostCluster newLeader = HostCluster.at(HOSTS.host("pg1"), 18, PatroniCluster.dataDir(18),
                    PatroniCluster.PG_PORT);
            assertThat(client.errors()).as("errors the client saw").isEmpty();
            assertThat(client.committedIds().size()).as("writes before, during and after").isGreaterThan(50);
            assertThat(LedgerClient.missingOn(newLeader.url("shop"), "postgres", client.committedIds()))
                    .as("committed rows missing on the upgraded leader").isEmpty();
            for (String replica : List.of("pg2", "pg3")) {
                HostCluster r = HostCluster.at(HOSTS.host(replica), 18, PatroniCluster.dataDir(18),
                        PatroniCluster.PG_PORT);
                newLeader.sql("shop", "INSERT INTO orders (note) VALUES ('seen on " + replica + "')");
                assertThat(HostReplicaSet.sees(r, "seen on " + replica)).as(replica).isTrue();
            }

            cluster.rest(HOSTS.host("pg1")).switchover("pg1", "pg2");
            PatroniTopology after = cluster.waitHealthy(Duration.ofMinutes(2));
            assertThat(after.leader().map(PatroniMember::name)).as("the switchover to pg2 worked").contains("pg2");
        }
    }
}
