package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.LedgerClient;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestPgbouncer;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.HostReplicaSet;
import io.pgmigrate.testing.hosts.TestHost;
import io.pgmigrate.testing.hosts.TestHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blue/green with standbys (issue #15), each server on a host of its own: blue (15) with its standby blueb, green (18)
 * made on green with its own standby greenb. First a failure before the cutover (greenb's port taken, so its start
 * fails): the teardown removes green and greenb's copy of it, blue and blueb untouched. Then the execution itself with
 * a client writing through pgbouncer: greenb streams from green before the cutover (green highly available from its
 * first second), every committed row is on green and reaches greenb; blueb keeps following blue, which reverse
 * replication keeps current.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlueGreenStandbysIT {
    private static final String GREEN_DATA = "/var/lib/postgresql/18/main";

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("blue", "blueb", "green", "greenb");

    @TempDir
    static Path dir;

    private static HostCluster blue;
    private static HostCluster blueb;

    @BeforeAll
    static void start() {
        blue = HostCluster.create(HOSTS.host("blue"), 15, "/var/lib/postgresql/15/main", 5432);
        blue.appendConfig(List.of("wal_level = logical"));
        blue.startServer();
        blue.sql("postgres", "CREATE DATABASE shop");
        blue.sql("shop", LedgerClient.TABLE_DDL, "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 20000) g", "ANALYZE");
        blueb = HostCluster.standbyOf(blue, HOSTS.host("blueb"), "/var/lib/postgresql/15/main", 5432,
                List.of("cluster_name = 'blueb'"));
        HostCluster.givePassfile(HOSTS.host("green"));
        HostCluster.givePassfile(HOSTS.host("greenb"));
    }

    @AfterAll
    static void stop() {
        if (blue != null) {
            blue.stopServer();
        }
    }

    private static Path inventory(String name, TestPgbouncer bouncer) {
        TestHost greenb = HOSTS.host("greenb");
        String standbys = "  standbys:\n    - name: greenb\n"
                + greenb.inventoryYaml(HOSTS.knownHosts()).replace("  host:", "      host:").replace("  ssh:", "      ssh:")
                + "      tunnel: true\n      pg: { port: 5432 }\n      dataDir: " + GREEN_DATA + "\n";
        return TestInventory.logicalOnHosts(dir.resolve(name + ".yaml"), name, blue, HOSTS.host("green"),
                HOSTS.knownHosts(), io.pgmigrate.testing.Toolchain.binDir(18).toString(), GREEN_DATA,
                standbys + bouncer.inventoryYaml() + "  switchCommand: [" + bouncer.switchScript(dir) + "]\n");
    }

    private static Path plan(Path inventory, String name) {
        CliRun run = CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return dir.resolve(name + ".plan.json");
    }

    private static boolean exists(TestHost host, String path) {
        return host.exec("sh", "-c", "test -e \"$1\" && echo yes || echo no", "sh", path).strip().equals("yes");
    }

    @Test
    @Order(1)
    void aFailureBeforeTheCutoverRemovesGreenAndItsStandbysCopy() throws Exception {
        try (TestPgbouncer bouncer = TestPgbouncer.inFrontOf(blue.host().address(), blue.port(),
                blue.host().controllerAddress())) {
            Path inv = inventory("torn", bouncer);
            Path planFile = plan(inv, "torn");
            TestHost greenb = HOSTS.host("greenb");
            // greenb's server cannot start once its copy of green is made: where pg_ctl writes its log is a directory
            String work = "/var/lib/postgresql/18/pgmigrate-torn";
            greenb.exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", "/var/lib/postgresql/18");
            greenb.exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "700", work,
                    work + "/postgresql-18.log");
            CliRun run = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
            assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(4);
            assertThat(run.out()).contains("step replicate.standby-start.greenb failed", "stopped green",
                    "removed green's standby greenb's data directory " + GREEN_DATA,
                    "removed green's standby greenb's work directory " + work);
            assertThat(exists(greenb, GREEN_DATA)).as("greenb's copy of green is gone").isFalse();
            assertThat(exists(HOSTS.host("green"), GREEN_DATA)).as("green is gone").isFalse();
            assertThat(HostReplicaSet.major(blue)).isEqualTo(15);
            assertThat(blue.strings("postgres", "SELECT application_name || ' ' || state FROM pg_stat_replication"))
                    .as("blueb still follows blue").containsExactly("blueb streaming");
        }
    }

    @Test
    @Order(2)
    void greenHasItsStandbyStreamingBeforeTheCutoverAndBluesKeepsFollowingBlue() throws Exception {
        try (TestPgbouncer bouncer = TestPgbouncer.inFrontOf(blue.host().address(), blue.port(),
                blue.host().controllerAddress())) {
            Path inv = inventory("bg-standbys", bouncer);
            Path planFile = plan(inv, "bg-standbys");
            String bouncerUrl = "jdbc:postgresql://127.0.0.1:" + bouncer.port() + "/shop";
            LedgerClient client = LedgerClient.start(bouncerUrl, "postgres", 1, 50);
            Thread.sleep(500);

            CliRun run = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(run.out()).containsSubsequence("run    replicate.standby-clone.greenb",
                    "run    replicate.initial-copy.shop", "run    replicate.green-standby-streams.greenb",
                    "run    cutover.freeze").contains("green highly available from its first second");
            assertThat(CliRun.of("status", planFile.toString()).out())
                    .contains("green highly available from its first second");
            Thread.sleep(1000);
            client.stop(30, TimeUnit.SECONDS);

            HostCluster green = HostCluster.at(HOSTS.host("green"), 18, GREEN_DATA, 5432);
            HostCluster greenb = HostCluster.at(HOSTS.host("greenb"), 18, GREEN_DATA, 5432);
            assertThat(client.errors()).as("errors the client saw").isEmpty();
            assertThat(LedgerClient.missingOn(green.url("shop"), "postgres", client.committedIds()))
                    .as("committed rows missing on green").isEmpty();
            assertThat(green.strings("postgres", "SELECT application_name || ' ' || state FROM pg_stat_replication"
                    + " WHERE application_name = 'greenb'")).containsExactly("greenb streaming");
            assertThat(HostReplicaSet.major(greenb)).isEqualTo(18);
            assertThat(greenb.longValue("shop", "SELECT count(*) FROM orders")).as("the initial copy reached greenb")
                    .isEqualTo(green.longValue("shop", "SELECT count(*) FROM orders"));
            green.sql("shop", "INSERT INTO orders (note) VALUES ('after the cutover')");
            assertThat(HostReplicaSet.sees(greenb, "after the cutover")).as("greenb follows green").isTrue();
            assertThat(HostReplicaSet.sees(blueb, "after the cutover"))
                    .as("blueb follows blue, which reverse replication keeps current").isTrue();
        }
    }
}
