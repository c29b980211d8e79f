package io.pgmigrate.testing.hosts;

import io.pgmigrate.transport.PatroniMember;
import io.pgmigrate.transport.PatroniNode;
import io.pgmigrate.transport.PatroniRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.pgmigrate.testing.hosts.ByHandUpgrade.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Patroni 3.0.2 does when the by-hand upgrade (docs/patroni-upgrade-notes.md) is done wrong, on a 2-member 15
 * cluster: a paused Patroni left running drops the leader lock when its server stops and takes it again for the
 * server pg_upgrade starts in its data directory; before 18 ever started the old cluster comes back by renaming
 * pg_control.old; with the old system identifier left in etcd a paused Patroni warns and a resumed one exits; a
 * setting 18 does not know, left in the DCS configuration, keeps 18 from starting; without the old pg_hba.conf the
 * replica is refused.
 */
class PatroniPitfallsExperiment {
    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("etcd", "pg1", "pg2");

    @Test
    void theUpgradesPitfalls() {
        TestHost l = HOSTS.host("pg1");
        TestHost r = HOSTS.host("pg2");
        try (PatroniCluster cluster = PatroniCluster.start(List.of(l, r), HOSTS.host("etcd"), 15)) {
            assertThat(cluster.leader()).isEqualTo(l);
            String oldSysid = cluster.rest(l).node().systemIdentifier();

            // a paused Patroni that runs on: lock dropped when its server stops, taken again for pg_upgrade's server
            pauseAndStop(cluster, l, r, false);
            await(30, "the paused Patroni drops the leader lock", () -> cluster.topology().leader().isEmpty());
            assertThat(cluster.patroniLogCount(l, "PAUSE: removed leader lock because postgres is not running"))
                    .isPositive();
            l.execAsPostgres("mkdir", "-p", "/tmp/upg");
            l.execAsPostgres(ByHandUpgrade.PG15 + "/pg_ctl", "start", "-w", "-D", PatroniCluster.dataDir(15), "-l",
                    "/tmp/upg/log", "-o", "-p 50432 -b -c listen_addresses='' -c unix_socket_permissions=0700"
                            + " -c unix_socket_directories=/tmp/upg");
            await(30, "the paused Patroni takes the lock for a server it cannot reach", () -> cluster.topology()
                    .leader().map(PatroniMember::name).equals(Optional.of(l.name())));
            assertThat(cluster.etcdctl("get", "--print-value-only", "/service/pgm/leader").strip()).isEqualTo("pg1");
            ByHandUpgrade.stopPostgres(l, 15);
            cluster.stopPatroni(l);

            // before 18 ever started, the old cluster comes back: pg_control.old renamed back
            ByHandUpgrade.initdb18(l);
            ByHandUpgrade.pgUpgrade(l);
            String global = PatroniCluster.dataDir(15) + "/global/";
            l.execAsPostgres("mv", global + "pg_control.old", global + "pg_control");
            l.exec("rm", "-rf", "/var/lib/postgresql/18");
            cluster.startPatroni(l);
            await(30, "pg1's REST API answers", () -> cluster.rest(l).node().paused());
            cluster.rest(l).pause(false);
            await(60, "pg1 leads on 15 again", () -> leadsOn(cluster, l, 15));
            cluster.startPatroni(r);
            cluster.waitHealthy(Duration.ofMinutes(2));
            assertThat(cluster.rest(r).node().systemIdentifier()).isEqualTo(oldSysid);

            // the upgrade again, with the old system identifier left in etcd and without the old pg_hba.conf
            pauseAndStop(cluster, l, r, true);
            ByHandUpgrade.initdb18(l);
            ByHandUpgrade.pgUpgrade(l);
            ByHandUpgrade.rsync(l, r);
            cluster.writeConfig(l, 18);
            cluster.writeConfig(r, 18);
            cluster.startPatroni(l);
            await(30, "paused, Patroni warns", () -> cluster.patroniLogCount(l,
                    "system ID has changed while in paused mode. Patroni will exit when resuming") > 0);
            assertThat(cluster.rest(l).node().state()).isEqualTo("stopped");
            cluster.patronictl(l, "edit-config", "--force", "-s", "pause=false");
            await(30, "resumed, Patroni exits", () -> !cluster.patroniRunning(l));
            assertThat(cluster.patroniLogCount(l, "system ID mismatch, node pg1 belongs to a different cluster: "
                    + oldSysid)).isPositive();

            // a setting 18 does not know, left in the DCS configuration
            cluster.etcdctl("del", "/service/pgm/initialize");
            cluster.patronictl(l, "edit-config", "--force", "-s", "postgresql.parameters.vacuum_defer_cleanup_age=0");
            cluster.startPatroni(l);
            await(60, "18 refuses the setting", () -> cluster.patroniLogCount(l,
                    "unrecognized configuration parameter \"vacuum_defer_cleanup_age\"") > 0);
            await(30, "Patroni says so", () -> cluster.patroniLogCount(l, "failed to start postgres") > 0);
            cluster.patronictl(l, "edit-config", "--force", "-s", "postgresql.parameters.vacuum_defer_cleanup_age=null");
            await(90, "pg1 leads on 18 once the setting is gone", () -> leadsOn(cluster, l, 18));

            // without the old pg_hba.conf the replica is refused
            cluster.startPatroni(r);
            await(60, "the leader refuses the replica", () -> cluster.patroniLogCount(r, "no pg_hba.conf entry") > 0);
            assertThat(cluster.rest(l).node().senders()).isEmpty();
            ByHandUpgrade.carryHba(l);
            l.execAsPostgres(ByHandUpgrade.PG18 + "/pg_ctl", "reload", "-D", PatroniCluster.dataDir(18));
            cluster.waitHealthy(Duration.ofMinutes(2));
            assertThat(cluster.rest(r).node().serverVersion()).isBetween(180000, 189999);
        }
    }

    /** Pause, stop Patroni on the replica (and on the leader if asked), then the leader's server, then the replica's. */
    private static void pauseAndStop(PatroniCluster cluster, TestHost l, TestHost r, boolean stopLeadersPatroni) {
        cluster.rest(l).pause(true);
        await(30, "every member is paused", () -> cluster.members().stream()
                .allMatch(h -> cluster.rest(h).node().paused()));
        cluster.stopPatroni(r);
        if (stopLeadersPatroni) {
            cluster.stopPatroni(l);
        }
        String lsn = cluster.postgres(l).strings("postgres", "SELECT pg_current_wal_lsn()").get(0);
        ByHandUpgrade.stopPostgres(l, 15);
        await(30, "the replica replays the shutdown checkpoint", () -> cluster.postgres(r).strings("postgres",
                "SELECT pg_last_wal_replay_lsn() > '" + lsn + "'::pg_lsn").equals(List.of("t")));
        ByHandUpgrade.stopPostgres(r, 15);
        assertThat(ByHandUpgrade.controlData(r, 15, "Latest checkpoint location"))
                .isEqualTo(ByHandUpgrade.controlData(l, 15, "Latest checkpoint location"));
    }

    private static boolean leadsOn(PatroniCluster cluster, TestHost h, int major) {
        PatroniNode n = cluster.rest(h).node();
        return n.role() == PatroniRole.LEADER && "running".equals(n.state()) && n.serverVersion() != null
                && n.serverVersion() / 10000 == major;
    }
}
