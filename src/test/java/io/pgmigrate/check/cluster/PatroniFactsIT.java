package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.PatroniCluster;
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
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code plan} of a 3-member Patroni 3.0.2 cluster of PostgreSQL 15 (pg1 leads, pg2 and pg3 replicas, etcd on a host of
 * its own), with {@code ha.patroni} and both replicas under {@code standbys:} (issue #15): what it reads and says, what
 * it refuses as bad input naming the entry before anything is touched, and the leader blocker after a switchover.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniFactsIT {
    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("etcd", "pg1", "pg2", "pg3", "other");

    private static PatroniCluster cluster;

    @TempDir
    Path dir;

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

    private static String rest(String... hosts) {
        return java.util.Arrays.stream(hosts).map(h -> "\"" + HOSTS.host(h).address() + ":8008\"")
                .collect(Collectors.joining(", "));
    }

    private Path inventory(String name, String restList) {
        HostCluster primary = cluster.postgres(HOSTS.host("pg1"));
        List<HostCluster> standbys = List.of(cluster.postgres(HOSTS.host("pg2")), cluster.postgres(HOSTS.host("pg3")));
        return TestInventory.inPlaceOnHosts(dir.resolve(name + ".yaml"), name, primary, standbys, HOSTS.knownHosts(),
                "link", "ha:\n  patroni:\n    config: " + PatroniCluster.CONFIG + "\n    rest: [ " + restList + " ]\n");
    }

    private CliRun plan(Path inventory) {
        return CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
    }

    /** The plan written: exit 0 when it is ready, 3 when it lists blockers. */
    private Plan planned(String name, String restList) throws Exception {
        CliRun run = plan(inventory(name, restList));
        assertThat(run.exitCode()).as(run.out() + run.err()).isIn(0, 3);
        Plan plan = PlanJson.readVerified(dir.resolve(name + ".plan.json"));
        assertThat(run.exitCode()).as(run.out()).isEqualTo(plan.ready() ? 0 : 3);
        return plan;
    }

    private static List<String> ids(List<Finding> findings) {
        return findings.stream().map(Finding::check).toList();
    }

    /** Without ha: the plan still sees that Patroni manages the source (it wrote its postgresql.conf), and blocks. */
    @Test
    @Order(1)
    void patroniTheInventoryDoesNotDescribeIsSeenOnTheSourcesHost() throws Exception {
        HostCluster primary = cluster.postgres(HOSTS.host("pg1"));
        List<HostCluster> standbys = List.of(cluster.postgres(HOSTS.host("pg2")), cluster.postgres(HOSTS.host("pg3")));
        Path inv = TestInventory.inPlaceOnHosts(dir.resolve("undescribed.yaml"), "undescribed", primary, standbys,
                HOSTS.knownHosts(), "link", "");
        CliRun run = plan(inv);
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
        Plan plan = PlanJson.readVerified(dir.resolve("undescribed.plan.json"));
        assertThat(plan.blockers()).extracting(Finding::check).containsExactly(HaManagers.ID);
        assertThat(plan.blockers().get(0).objects()).containsExactly("the server's postgresql.conf on "
                + HOSTS.host("pg1").address() + " is Patroni's (\"It will be overwritten by Patroni!\")");
    }

    @Test
    @Order(2)
    void aHealthyPatroniClusterIsReadAndItsPlanDrivesPatroni() throws Exception {
        Plan plan = planned("healthy", rest("pg1", "pg2", "pg3"));
        assertThat(plan.blockers()).as(plan.findings().toString()).isEmpty();
        assertThat(plan.steps()).extracting(io.pgmigrate.plan.Step::id).as("pause, stop, configure, start, in order")
                .containsSubsequence("outage.patroni-pause", "outage.patroni-stop.pg2", "outage.patroni-stop.pg3",
                        "outage.patroni-stop-leader", "outage.stop-old", "outage.standby-replayed.pg2",
                        "outage.pg-upgrade", "outage.standby-rsync.pg3", "outage.patroni-config-leader",
                        "outage.patroni-config.pg2", "outage.patroni-unpause-in-dcs",
                        "outage.patroni-forget-old-cluster", "outage.start-new", "outage.patroni-leads",
                        "post.patroni-start.pg2", "post.standby-streams.pg3")
                .doesNotContain("prepare.settings", "outage.standby-slots", "post.standby-start.pg2");
        assertThat(ids(plan.findings())).as("the leader is the source, every member listed, nothing pending or paused")
                .doesNotContain(PatroniLeader.ID, PatroniMembers.ID, PatroniPendingRestart.ID, PatroniPaused.ID,
                        PatroniDcsSettings.ID);
        Finding version = plan.findings().stream().filter(f -> f.check().equals(PatroniVersion.ID)).findFirst()
                .orElseThrow();
        assertThat(version.severity()).isEqualTo(Severity.WARNING);
        assertThat(version.objects()).containsExactly("pg1: Patroni 3.0.2", "pg2: Patroni 3.0.2", "pg3: Patroni 3.0.2");
        assertThat(plan.findings().stream().filter(f -> f.check().equals(StandbyReadiness.ID)).map(Finding::title))
                .as("the standbys are read as without Patroni").contains("Standby pg2 will be rsynced",
                        "Standby pg3 will be rsynced");
    }

    @Test
    @Order(3)
    void theDynamicConfigurationHoldsNoPasswordAndASettingEighteenDoesNotKnowIsABlocker() throws Exception {
        String stored = cluster.etcdctl("get", "--print-value-only", "/service/pgm/config");
        assertThat(stored).as("Patroni 3.0.2's DCS config: bootstrap.dcs, no authentication")
                .contains("\"parameters\"").doesNotContain(HostCluster.PASSWORD).doesNotContain("authentication")
                .doesNotContain("\"password\"");
        assertThat(cluster.rest(HOSTS.host("pg2")).config()).containsEntry("fsync", "off")
                .containsEntry("password_encryption", "scram-sha-256");

        cluster.patronictl(HOSTS.host("pg1"), "edit-config", "--force", "-s",
                "postgresql.parameters.vacuum_defer_cleanup_age=0");
        try {
            Plan plan = planned("dcs", rest("pg1", "pg2", "pg3"));
            Finding b = plan.blockers().stream().filter(f -> f.check().equals(PatroniDcsSettings.ID)).findFirst()
                    .orElseThrow(() -> new AssertionError(plan.findings()));
            assertThat(b.objects()).containsExactly("vacuum_defer_cleanup_age (removed in PostgreSQL 16)");
            assertThat(b.fix()).contains("patronictl -c /etc/patroni/patroni.yml edit-config --force"
                    + " -s postgresql.parameters.vacuum_defer_cleanup_age=null");
        } finally {
            cluster.patronictl(HOSTS.host("pg1"), "edit-config", "--force", "-s",
                    "postgresql.parameters.vacuum_defer_cleanup_age=null");
        }
    }

    @Test
    @Order(4)
    void aRestApiThatDoesNotAnswerIsBadInputNamingIt() {
        Path inv = inventory("gone", rest("pg1", "pg2") + ", \"" + HOSTS.host("pg3").address() + ":8009\"");
        CliRun run = plan(inv);
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("pgmigrate: " + inv + ": ha.patroni.rest[2] ("
                + HOSTS.host("pg3").address() + ":8009): Patroni does not answer: ").doesNotContain("\n");
        assertThat(dir.resolve("gone.plan.json")).doesNotExist();
    }

    @Test
    @Order(5)
    void aRestApiOfAnotherPatroniClusterOnTheSameEtcdIsBadInputNamingIt() {
        TestHost otherHost = HOSTS.host("other");
        try (PatroniCluster other = PatroniCluster.beside(cluster, List.of(otherHost), "other", 15)) {
            Path inv = inventory("scope", rest("pg1", "pg2", "other", "pg3"));
            CliRun run = plan(inv);
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
            assertThat(run.err().strip()).isEqualTo("pgmigrate: " + inv + ": ha.patroni.rest[2] ("
                    + otherHost.address() + ":8008): answers for Patroni scope 'other', the source's cluster is"
                    + " 'pgm' (ha.patroni.rest[0]); list only the REST APIs of the source's Patroni cluster");
            assertThat(dir.resolve("scope.plan.json")).doesNotExist();
        }
    }

    @Test
    @Order(6)
    void afterASwitchoverTheLeaderIsABlockerNamingItAndTheSource() throws Exception {
        cluster.rest(HOSTS.host("pg1")).switchover("pg1", "pg2");
        cluster.waitHealthy(Duration.ofMinutes(2));
        assertThat(cluster.leader().name()).isEqualTo("pg2");

        Plan plan = planned("switched", rest("pg1", "pg2", "pg3"));
        String source = HOSTS.host("pg1").address();
        Finding b = plan.blockers().stream().filter(f -> f.check().equals(PatroniLeader.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(plan.findings()));
        assertThat(b.title()).isEqualTo("Patroni's leader is pg2, not the inventory's source (" + source + ")");
        assertThat(b.objects()).containsExactly("leader pg2 (" + HOSTS.host("pg2").address()
                + ":5432, leader, running)", "source " + source);
        assertThat(b.detail()).contains("listed as standby pg2");
        assertThat(b.fix()).contains("switchover --leader pg2 --candidate pg1");
        assertThat(plan.steps()).as("no Patroni step is planned for a cluster another member leads")
                .noneMatch(s -> s.id().startsWith("outage.patroni-"));
    }
}
