package io.pgmigrate.transport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Patroni 3.0.2's answers, recorded from a real 3-member cluster (src/test/resources/patroni), read as a DBA would. */
class PatroniRestTest {
    @Test
    void theLeaderSaysScopeVersionSystemIdentifierAndItsStreamingStandbys() {
        PatroniNode n = PatroniJson.node(recorded("3.0.2-leader-patroni.json"));
        assertThat(n.scope()).isEqualTo("pgm");
        assertThat(n.name()).as("3.0.2 does not name the answering member").isNull();
        assertThat(n.patroniVersion()).isEqualTo("3.0.2");
        assertThat(n.role()).as("'master' in 3.0.2").isEqualTo(PatroniRole.LEADER);
        assertThat(n.state()).isEqualTo("running");
        assertThat(n.serverVersion()).isEqualTo(150018);
        assertThat(n.systemIdentifier()).isEqualTo("7716628068095066206");
        assertThat(n.timeline()).isEqualTo(1);
        assertThat(n.pendingRestart()).isFalse();
        assertThat(n.paused()).isFalse();
        assertThat(n.senders()).extracting(PatroniNode.Sender::applicationName, PatroniNode.Sender::state,
                PatroniNode.Sender::syncState).containsExactly(tuple("p3", "streaming", "async"),
                tuple("p2", "streaming", "async"));
    }

    @Test
    void aReplicaHasNoSendersAndAPendingRestartIsSeen() {
        PatroniNode replica = PatroniJson.node(recorded("3.0.2-replica-patroni.json"));
        assertThat(replica.role()).isEqualTo(PatroniRole.REPLICA);
        assertThat(replica.senders()).isEmpty();
        assertThat(PatroniJson.node(recorded("3.0.2-pending-restart-replica-patroni.json")).pendingRestart()).isTrue();
    }

    @Test
    void aStoppedMemberHasNoServerVersionNorTimeline() {
        PatroniNode n = PatroniJson.node(recorded("3.0.2-stopped-replica-patroni.json"));
        assertThat(n.state()).isEqualTo("stopped");
        assertThat(n.serverVersion()).isNull();
        assertThat(n.timeline()).isNull();
        assertThat(n.paused()).isTrue();
        assertThat(n.systemIdentifier()).isEqualTo("7716629773934469577");
    }

    @Test
    void afterTheUpgradeTheLeaderRunsEighteen() {
        PatroniNode n = PatroniJson.node(recorded("3.0.2-pg18-leader-patroni.json"));
        assertThat(n.serverVersion()).isEqualTo(180006);
        assertThat(n.role()).isEqualTo(PatroniRole.LEADER);
    }

    @Test
    void theClusterListsOneLeaderAndTwoReplicasWithoutLag() {
        PatroniTopology t = PatroniJson.topology(recorded("3.0.2-cluster.json"));
        assertThat(t.paused()).isFalse();
        assertThat(t.members()).extracting(PatroniMember::name, PatroniMember::role, PatroniMember::state,
                PatroniMember::host, PatroniMember::port, PatroniMember::lagBytes, PatroniMember::timeline)
                .containsExactly(tuple("p1", PatroniRole.LEADER, "running", "172.18.0.2", 5432, null, 1),
                        tuple("p2", PatroniRole.REPLICA, "running", "172.18.0.3", 5432, 0L, 1),
                        tuple("p3", PatroniRole.REPLICA, "running", "172.18.0.4", 5432, 0L, 1));
        assertThat(t.leader()).map(PatroniMember::name).hasValue("p1");
        assertThat(t.replicas()).extracting(PatroniMember::name).containsExactly("p2", "p3");
        assertThat(t.member("p2")).map(PatroniMember::apiUrl).hasValue("http://172.18.0.3:8008/patroni");
    }

    @Test
    void pauseAndPendingRestartAreSeenInTheCluster() {
        assertThat(PatroniJson.topology(recorded("3.0.2-paused-cluster.json")).paused()).isTrue();
        assertThat(PatroniJson.node(recorded("3.0.2-paused-leader-patroni.json")).paused()).isTrue();
        assertThat(PatroniJson.topology(recorded("3.0.2-pending-restart-cluster.json")).members())
                .allMatch(PatroniMember::pendingRestart);
    }

    @Test
    void aStoppedReplicasLagIsUnknownAndAPausedClusterMayHaveNoOtherLeaderThanTheLock() {
        PatroniTopology t = PatroniJson.topology(recorded("3.0.2-paused-replica-stopped-cluster.json"));
        PatroniMember p2 = t.member("p2").orElseThrow();
        assertThat(p2.state()).isEqualTo("stopped");
        assertThat(p2.isRunning()).isFalse();
        assertThat(p2.lagBytes()).as("\"lag\": \"unknown\"").isNull();
        assertThat(p2.timeline()).isNull();
        assertThat(t.leader()).map(PatroniMember::name).hasValue("p3");
        assertThat(t.paused()).isTrue();
    }

    @Test
    void theDynamicConfigurationsParametersAreReadByName() {
        // the shape of GET /config for the fixture's bootstrap.dcs, with a setting 18 does not know added
        String body = """
                {"ttl": 30, "loop_wait": 10, "retry_timeout": 10, "maximum_lag_on_failover": 1048576,
                 "postgresql": {"use_pg_rewind": true, "use_slots": true,
                   "parameters": {"password_encryption": "scram-sha-256", "fsync": "off",
                                  "vacuum_defer_cleanup_age": 0, "max_connections": null}},
                 "pause": true}""";
        assertThat(PatroniJson.parameters(body)).containsExactly(
                java.util.Map.entry("fsync", "off"),
                java.util.Map.entry("password_encryption", "scram-sha-256"),
                java.util.Map.entry("vacuum_defer_cleanup_age", "0"));
        assertThat(PatroniJson.parameters("{\"ttl\": 30}")).isEmpty();
        assertThatThrownBy(() -> PatroniJson.parameters("[]")).hasMessageContaining("/config is not a JSON object");
    }

    @Test
    void whatIsNotPatronisJsonIsRefused() {
        assertThatThrownBy(() -> PatroniJson.topology("<html>")).hasMessageContaining("/cluster is not JSON");
        assertThatThrownBy(() -> PatroniJson.node("[1]")).hasMessageContaining("/patroni is not a JSON object");
        assertThatThrownBy(() -> PatroniJson.topology("{\"members\": [{\"role\": \"leader\"}]}"))
                .hasMessageContaining("a member without a name");
    }

    @Test
    void noAnswerNamesTheEndpoint() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PatroniRest closed = new PatroniRest("127.0.0.1:" + port, Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThatThrownBy(closed::cluster).isInstanceOf(TransportException.class)
                .hasMessage("Patroni at http://127.0.0.1:" + port + "/cluster cannot be reached: connection refused");
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PatroniRest mute = new PatroniRest("http://127.0.0.1:" + silent.getLocalPort() + "/",
                    Duration.ofSeconds(2), Duration.ofMillis(500));
            assertThat(mute.endpoint()).isEqualTo("127.0.0.1:" + silent.getLocalPort());
            assertThatThrownBy(() -> mute.pause(true)).isInstanceOf(TransportException.class)
                    .hasMessage("Patroni at http://127.0.0.1:" + silent.getLocalPort()
                            + "/config did not answer within 500 ms");
        }
    }

    private static String recorded(String name) {
        try (var in = PatroniRestTest.class.getResourceAsStream("/patroni/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no recorded answer " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
