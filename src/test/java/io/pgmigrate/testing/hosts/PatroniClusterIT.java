package io.pgmigrate.testing.hosts;

import io.pgmigrate.transport.PatroniMember;
import io.pgmigrate.transport.PatroniRest;
import io.pgmigrate.transport.PatroniRole;
import io.pgmigrate.transport.PatroniStatus;
import io.pgmigrate.transport.PatroniSwitchover;
import io.pgmigrate.transport.PatroniTopology;
import io.pgmigrate.transport.TransportException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A 3-member PostgreSQL 15 Patroni cluster with etcd on a host of its own comes up healthy, and {@link PatroniRest}
 * reads it as a DBA would: scope, leader, three members, lag 0; a pause and a resume are seen by every member; a
 * switchover to another member happens and is seen; a switchover naming the wrong leader is refused in one line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniClusterIT {
    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("etcd", "pg1", "pg2", "pg3");

    static PatroniCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PatroniCluster.start(List.of(HOSTS.host("pg1"), HOSTS.host("pg2"), HOSTS.host("pg3")),
                HOSTS.host("etcd"), 15);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theRestApiShowsScopeLeaderAndThreeMembersWithoutLag() {
        PatroniStatus s = cluster.rest(HOSTS.host("pg2")).status();
        assertThat(s.scope()).isEqualTo(PatroniCluster.SCOPE);
        assertThat(s.memberName()).as("found by its api_url").isEqualTo("pg2");
        assertThat(s.node().role()).isEqualTo(PatroniRole.REPLICA);
        assertThat(s.node().serverVersion()).isBetween(150000, 159999);
        assertThat(s.node().patroniVersion()).isEqualTo("3.0.2");
        assertThat(s.paused()).isFalse();
        assertThat(s.cluster().leader()).map(PatroniMember::name).hasValue("pg1");
        assertThat(s.cluster().members()).extracting(PatroniMember::name).containsExactly("pg1", "pg2", "pg3");
        assertThat(s.cluster().replicas()).allSatisfy(m -> {
            assertThat(m.lagBytes()).isZero();
            assertThat(m.state()).isEqualTo("running");
            assertThat(m.host()).isEqualTo(HOSTS.host(m.name()).address());
        });
        String sysid = cluster.postgres(HOSTS.host("pg1")).strings("postgres",
                "SELECT system_identifier::text FROM pg_control_system()").get(0);
        assertThat(cluster.rest(HOSTS.host("pg1")).node().systemIdentifier()).isEqualTo(sysid);
        assertThat(cluster.postgres(HOSTS.host("pg3")).strings("postgres", "SELECT pg_is_in_recovery()"))
                .containsExactly("t");
        assertThat(cluster.patronictl(HOSTS.host("pg3"), "list")).contains("pg1").contains("Leader");
    }

    @Test
    @Order(2)
    void pauseAndResumeAreSeenByEveryMember() throws InterruptedException {
        PatroniRest rest = cluster.rest(HOSTS.host("pg3"));
        assertThat(rest.pause(true).paused()).isTrue();
        assertThat(cluster.topology().paused()).isTrue();
        awaitEveryMemberSays(true);
        assertThat(cluster.patronictl(HOSTS.host("pg1"), "list")).contains("Maintenance mode: on");
        assertThat(rest.pause(false).paused()).isFalse();
        assertThat(cluster.topology().paused()).isFalse();
        awaitEveryMemberSays(false);
    }

    @Test
    @Order(3)
    void aSwitchoverToAnotherMemberHappensAndIsSeen() {
        TestHost oldLeader = cluster.leader();
        TestHost candidate = HOSTS.host(oldLeader.name().equals("pg2") ? "pg3" : "pg2");
        PatroniSwitchover done = cluster.rest(candidate).switchover(oldLeader.name(), candidate.name());
        assertThat(done.scheduled()).isFalse();
        assertThat(done.message()).contains("Successfully switched over to \"" + candidate.name() + "\"");
        PatroniTopology t = cluster.waitHealthy(Duration.ofMinutes(2));
        assertThat(t.leader()).map(PatroniMember::name).hasValue(candidate.name());
        assertThat(cluster.postgres(candidate).strings("postgres", "SELECT pg_is_in_recovery()")).containsExactly("f");
        assertThat(cluster.postgres(oldLeader).strings("postgres", "SELECT pg_is_in_recovery()")).containsExactly("t");
    }

    @Test
    @Order(4)
    void aSwitchoverFromAMemberThatDoesNotLeadIsRefusedInOneLine() {
        TestHost notLeader = cluster.members().stream().filter(h -> !h.equals(cluster.leader())).findFirst()
                .orElseThrow();
        PatroniRest rest = cluster.rest(notLeader);
        assertThatThrownBy(() -> rest.switchover(notLeader.name(), "pg1")).isInstanceOf(TransportException.class)
                .hasMessage("Patroni at http://" + cluster.restEndpoint(notLeader) + "/switchover refused the"
                        + " switchover from " + notLeader.name() + " to pg1: HTTP 412 leader name does not match");
    }

    @Test
    @Order(5)
    void aStoppedPatroniStopsItsServerAndComesBack() {
        TestHost replica = cluster.members().stream().filter(h -> !h.equals(cluster.leader())).findFirst()
                .orElseThrow();
        cluster.stopPatroni(replica);
        assertThat(cluster.topology().member(replica.name())).as("3.0.2 leaves its member key to expire (ttl)")
                .map(PatroniMember::state).hasValue("stopped");
        assertThat(replica.exec("sh", "-c", "pgrep -u postgres -x postgres || echo none").strip())
                .as("unpaused, Patroni stops its PostgreSQL on the way out").isEqualTo("none");
        assertThatThrownBy(() -> cluster.rest(replica).node()).isInstanceOf(TransportException.class)
                .hasMessageContaining(cluster.restEndpoint(replica));
        cluster.startPatroni(replica);
        assertThat(cluster.waitHealthy(Duration.ofMinutes(2)).members()).hasSize(3);
    }

    private static void awaitEveryMemberSays(boolean paused) throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            if (cluster.members().stream().allMatch(h -> cluster.rest(h).node().paused() == paused)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not every member says paused=" + paused + " within 30 s");
    }
}
