package io.pgmigrate.execute.inplace;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.HostReplicaSet;
import io.pgmigrate.testing.hosts.PatroniCluster;
import io.pgmigrate.testing.hosts.TestHost;
import io.pgmigrate.testing.hosts.TestHosts;
import io.pgmigrate.transport.PatroniMember;
import io.pgmigrate.transport.PatroniTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code execute} of a 2-member Patroni 3.0.2 cluster of PostgreSQL 15 (etcd on the leader's host) with
 * {@code pg_upgrade --swap} (issue #15): no rsync in that mode, so the replica's new data directory is left empty and
 * Patroni clones the upgraded leader into it itself when it starts there; afterwards both members run 18 under
 * Patroni, the replica streams, and its old data directory is still there until cleanup.
 */
class PatroniSwapIT {
    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("pg1", "pg2");

    @TempDir
    Path dir;

    @Test
    void swapLetsPatroniCloneTheReplicaFromTheUpgradedLeader() {
        try (PatroniCluster cluster = PatroniCluster.start(List.of(HOSTS.host("pg1"), HOSTS.host("pg2")),
                HOSTS.host("pg1"), 15)) {
            HostCluster leader = cluster.postgres(HOSTS.host("pg1"));
            leader.sql("postgres", "CREATE DATABASE shop");
            leader.sql("shop", "CREATE TABLE orders (id bigserial PRIMARY KEY, total int, note text)",
                    "INSERT INTO orders (total, note) SELECT g, 'n' || g FROM generate_series(1, 10000) g");
            Path inv = TestInventory.inPlaceOnHosts(dir.resolve("swap.yaml"), "swap", leader,
                    List.of(cluster.postgres(HOSTS.host("pg2"))), HOSTS.knownHosts(), "swap",
                    "ha:\n  patroni:\n    config: " + PatroniCluster.CONFIG + "\n    rest: [ \""
                            + cluster.restEndpoint(HOSTS.host("pg1")) + "\", \"" + cluster.restEndpoint(HOSTS.host("pg2"))
                            + "\" ]\n" + PatroniCluster.commandsYaml());
            CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();

            CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("swap.plan.json").toString());
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(run.out()).doesNotContain("outage.standby-rsync", "post.standby-clone")
                    .containsSubsequence("run    outage.pg-upgrade", "run    outage.start-new",
                            "run    post.patroni-start.pg2", "run    post.standby-streams.pg2")
                    .containsPattern("write outage [0-9.]+s; highly available again after [0-9.]+s");
            cluster.upgradedTo(18);

            PatroniTopology t = cluster.waitHealthy(Duration.ofMinutes(2));
            assertThat(t.leader().map(PatroniMember::name)).contains("pg1");
            for (TestHost h : cluster.members()) {
                assertThat(cluster.rest(h).node().serverVersion() / 10000).as(h.name()).isEqualTo(18);
            }
            HostCluster newLeader = cluster.postgres(HOSTS.host("pg1"));
            newLeader.sql("shop", "INSERT INTO orders (total, note) VALUES (1, 'after swap')");
            assertThat(HostReplicaSet.sees(cluster.postgres(HOSTS.host("pg2")), "after swap")).isTrue();
            assertThat(HOSTS.host("pg2").exec("cat", PatroniCluster.dataDir(15) + "/PG_VERSION").strip())
                    .as("the replica's old data directory stays until cleanup").isEqualTo("15");
        }
    }
}
