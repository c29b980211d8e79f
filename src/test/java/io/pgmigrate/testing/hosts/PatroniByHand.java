package io.pgmigrate.testing.hosts;

import io.pgmigrate.transport.PatroniNode;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The by-hand upgrade of a {@link PatroniCluster} from PostgreSQL 15 to 18 with {@code pg_upgrade --link}, as a careful
 * DBA does it (docs/patroni-upgrade-notes.md), initdb and pg_upgrade --check before the window: pause, stop Patroni
 * everywhere, stop the leader's PostgreSQL, let the
 * replicas replay its shutdown checkpoint, stop them, initdb 18 and pg_upgrade --link on the leader, rsync the replicas
 * from it, patroni.yml for 18 everywhere, the old system identifier out of etcd and the pause off, Patroni on the
 * leader, then on the replicas. Shared by {@code PatroniUpgradeByHandExperiment} and the Patroni benchmark.
 */
public final class PatroniByHand {
    private final PatroniCluster cluster;
    private final BiConsumer<String, Long> timed;

    /** @param timed told each step's name and milliseconds */
    public PatroniByHand(PatroniCluster cluster, BiConsumer<String, Long> timed) {
        this.cluster = cluster;
        this.timed = timed;
    }

    /** What the DBA's clients saw: the write outage and the time Patroni could not fail over, in milliseconds. */
    public record Result(long outageMillis, long haLostMillis) {
    }

    public Result linkUpgrade(TestHost leader, List<TestHost> replicas) {
        List<TestHost> hosts = new java.util.ArrayList<>(replicas);
        hosts.add(0, leader);
        // before the window, as pgmigrate's plan does: the new cluster made, pg_upgrade's checks against the live one
        step("initdb 18 on the leader (UTF8, C.UTF-8, no checksums, as Patroni's bootstrap)",
                () -> ByHandUpgrade.initdb18(leader));
        step("pg_upgrade --check --link against the running old cluster", () -> ByHandUpgrade.pgUpgrade(leader,
                "--check", "-p", String.valueOf(PatroniCluster.PG_PORT)));
        long begin = System.nanoTime();
        step("pause (PATCH /config) until every member says so", () -> {
            cluster.rest(leader).pause(true);
            await(() -> hosts.stream().allMatch(h -> cluster.rest(h).node().paused()));
        });
        step("stop Patroni on every member (paused: PostgreSQL keeps running)", () -> hosts.forEach(
                cluster::stopPatroni));
        long outage = System.nanoTime();
        step("stop the leader's PostgreSQL (fast)", () -> ByHandUpgrade.stopPostgres(leader, 15));
        String shutdownCheckpoint = ByHandUpgrade.controlData(leader, 15, "Latest checkpoint location");
        step("wait until each replica has replayed the shutdown checkpoint", () -> replicas.forEach(r -> await(
                () -> cluster.postgres(r).strings("postgres", "SELECT pg_last_wal_replay_lsn() > '"
                        + shutdownCheckpoint + "'::pg_lsn").equals(List.of("t")))));
        step("stop the replicas' PostgreSQL (fast)", () -> replicas.forEach(r -> ByHandUpgrade.stopPostgres(r, 15)));
        for (TestHost r : replicas) {
            String at = ByHandUpgrade.controlData(r, 15, "Latest checkpoint location");
            if (!at.equals(shutdownCheckpoint)) {
                throw new IllegalStateException(r.name() + " stopped at " + at + ", not at the leader's shutdown"
                        + " checkpoint " + shutdownCheckpoint);
            }
        }
        step("pg_upgrade --link", () -> ByHandUpgrade.pgUpgrade(leader));
        step("pg_hba.conf and pg_ident.conf of 15 into 18 (Patroni wrote them at bootstrap only)", () ->
                ByHandUpgrade.carryHba(leader));
        for (TestHost r : replicas) {
            step("rsync 15 and 18 from the leader to " + r.name(), () -> ByHandUpgrade.rsync(leader, r));
        }
        step("patroni.yml on every member: bin_dir and data_dir of 18", () -> hosts.forEach(
                h -> cluster.writeConfig(h, 18)));
        step("etcd: delete /service/pgm/initialize (the old system identifier), pause off in the DCS config", () -> {
            cluster.etcdctl("del", "/service/" + cluster.scope() + "/initialize");
            cluster.patronictl(leader, "edit-config", "--force", "-s", "pause=false");
        });
        step("start Patroni on the leader until it leads on 18", () -> {
            cluster.startPatroni(leader);
            await(() -> {
                PatroniNode n = cluster.rest(leader).node();
                return n.role() == io.pgmigrate.transport.PatroniRole.LEADER && "running".equals(n.state())
                        && n.serverVersion() != null && n.serverVersion() >= 180000;
            });
        });
        long outageMillis = (System.nanoTime() - outage) / 1_000_000;
        step("start Patroni on the replicas until each streams with no lag (the leader's pg_stat_replication)", () -> {
            replicas.forEach(cluster::startPatroni);
            HostCluster pg = cluster.postgres(leader);
            await(() -> pg.longValue("postgres", "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                    + " AND replay_lsn = pg_current_wal_lsn()") == replicas.size());
        });
        long haMillis = (System.nanoTime() - begin) / 1_000_000;
        cluster.waitHealthy(Duration.ofMinutes(3)); // and Patroni says so too (its lag is updated each loop_wait)
        return new Result(outageMillis, haMillis);
    }

    private void step(String what, Runnable action) {
        long t0 = System.nanoTime();
        action.run();
        timed.accept(what, (System.nanoTime() - t0) / 1_000_000);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        ByHandUpgrade.await(60, "the condition", condition);
    }
}
