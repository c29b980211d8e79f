package io.pgmigrate.testing.hosts;

import io.pgmigrate.transport.PatroniMember;
import io.pgmigrate.transport.PatroniNode;
import io.pgmigrate.transport.PatroniTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The by-hand upgrade of a 3-member Patroni 3.0.2 cluster from PostgreSQL 15 to 18 with {@code pg_upgrade --link},
 * as a careful DBA does it, step by step and timed: the procedure docs/patroni-upgrade-notes.md describes, kept as an
 * integration test so that it stays true. Pause, stop Patroni everywhere (PostgreSQL keeps running while paused),
 * stop the leader's PostgreSQL, let the replicas replay its shutdown checkpoint, stop them, initdb 18 and pg_upgrade
 * --link on the leader, rsync the replicas from it, patroni.yml for 18 everywhere, the old system identifier out of
 * etcd and the pause off, Patroni on the leader, then on the replicas. The timings go to
 * target/patroni-upgrade-by-hand.md.
 */
class PatroniUpgradeByHandExperiment {
    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("etcd", "pg1", "pg2", "pg3");

    private static final String PG15 = ByHandUpgrade.PG15;
    private static final String PG18 = ByHandUpgrade.PG18;
    private final Map<String, Long> millis = new LinkedHashMap<>();

    @Test
    void fifteenToEighteenWithLinkAndRsync() throws IOException {
        List<TestHost> hosts = List.of(HOSTS.host("pg1"), HOSTS.host("pg2"), HOSTS.host("pg3"));
        try (PatroniCluster cluster = PatroniCluster.start(hosts, HOSTS.host("etcd"), 15)) {
            TestHost leader = cluster.leader();
            List<TestHost> replicas = hosts.stream().filter(h -> !h.equals(leader)).toList();
            leader.execAsPostgres(PG15 + "/pgbench", "-h", "/tmp", "-i", "-s", "10", "-q", "postgres");
            leader.execAsPostgres(PG15 + "/pgbench", "-h", "/tmp", "-t", "500", "-c", "2", "postgres");
            String fingerprint = fingerprint(cluster.postgres(leader));
            String oldSysid = cluster.rest(leader).node().systemIdentifier();
            cluster.waitHealthy(Duration.ofMinutes(1));
            PatroniByHand.Result result = new PatroniByHand(cluster, (what, ms) -> {
                millis.put(what, ms);
                System.out.printf("[patroni upgrade] %6d ms  %s%n", ms, what);
            }).linkUpgrade(leader, replicas);
            millis.put("write outage (leader's stop to leader on 18)", result.outageMillis());
            millis.put("HA lost (pause to healthy on 18)", result.haLostMillis());

            PatroniTopology t = cluster.waitHealthy(Duration.ofMinutes(1));
            assertThat(t.leader()).map(PatroniMember::name).hasValue(leader.name());
            assertThat(t.members()).hasSize(3).allSatisfy(m -> assertThat(m.isRunning()).isTrue());
            assertThat(t.leader().get().timeline()).as("Patroni starts 18 as a standby and promotes it").isEqualTo(2);
            String newSysid = cluster.rest(leader).node().systemIdentifier();
            assertThat(newSysid).isNotEqualTo(oldSysid);
            for (TestHost h : hosts) {
                PatroniNode n = cluster.rest(h).node();
                assertThat(n.serverVersion()).as(h.name()).isBetween(180000, 189999);
                assertThat(n.systemIdentifier()).as(h.name()).isEqualTo(newSysid);
                assertThat(n.paused()).isFalse();
            }
            assertThat(cluster.etcdctl("get", "--print-value-only", "/service/" + PatroniCluster.SCOPE
                    + "/initialize").strip()).isEqualTo(newSysid);
            leader.execAsPostgres(PG18 + "/psql", "-h", "/tmp", "-c", "CREATE TABLE after_upgrade AS SELECT 1 AS x",
                    "postgres");
            cluster.waitHealthy(Duration.ofMinutes(1));
            for (TestHost r : replicas) {
                assertThat(fingerprint(cluster.postgres(r))).as(r.name() + " has the data").isEqualTo(fingerprint);
                assertThat(cluster.postgres(r).strings("postgres", "SELECT x FROM after_upgrade"))
                        .containsExactly("1");
            }
            TestHost candidate = replicas.get(0);
            step("switchover to " + candidate.name() + " on 18", () -> {
                cluster.rest(candidate).switchover(leader.name(), candidate.name());
                cluster.waitHealthy(Duration.ofMinutes(2));
            });
            assertThat(cluster.leader()).isEqualTo(candidate);
            report();
        }
    }

    private void step(String what, Runnable action) {
        long t0 = System.nanoTime();
        action.run();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        millis.put(what, ms);
        System.out.printf("[patroni upgrade] %6d ms  %s%n", ms, what);
    }

    private void report() throws IOException {
        StringBuilder md = new StringBuilder("| step | ms |\n|---|---:|\n");
        millis.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "patroni-upgrade-by-hand.md"), md);
        System.out.print(md);
    }

    private static String fingerprint(HostCluster pg) {
        return pg.strings("postgres", "SELECT count(*) || ':' || md5(string_agg(aid || ':' || abalance, ',' ORDER BY"
                + " aid)) FROM pgbench_accounts").get(0);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        ByHandUpgrade.await(60, "the condition", condition);
    }
}
