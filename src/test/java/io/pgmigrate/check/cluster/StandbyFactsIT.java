package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.TestHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A primary with two streaming standbys, each on a host of its own (issue #15): db1b synchronous, db1c asynchronous;
 * db1's postgres may SSH to db1b (for rsync) but not to db1c. What {@code plan} reads of them and says, and what it
 * refuses as bad input before anything is touched.
 */
class StandbyFactsIT {
    private static final String DATA = "/var/lib/postgresql/15/main";

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("db1", "db1b", "db1c", "other");

    private static HostCluster primary;
    private static HostCluster db1b;
    private static HostCluster db1c;
    private static HostCluster other;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        primary = HostCluster.start(HOSTS.host("db1"), 15, DATA, 5432);
        db1b = HostCluster.standbyOf(primary, HOSTS.host("db1b"), DATA, 5432, List.of("cluster_name = 'db1b'"));
        db1c = HostCluster.standbyOf(primary, HOSTS.host("db1c"), DATA, 5432, List.of("cluster_name = 'db1c'"));
        primary.sql("postgres", "ALTER SYSTEM SET synchronous_standby_names = 'db1b'", "SELECT pg_reload_conf()");
        HOSTS.host("db1b").acceptSshFrom(HOSTS.host("db1"));
        other = HostCluster.start(HOSTS.host("other"), 15, DATA, 5432);
        primary.sql("postgres", "CREATE TABLE t AS SELECT 1 AS x");
    }

    @AfterAll
    static void stop() {
        for (HostCluster c : new HostCluster[] {db1b, db1c, primary, other}) {
            if (c != null) {
                c.stopServer();
            }
        }
    }

    @Test
    void bothStandbysAreReadOnTheirHostsAndTheWayEachGoesIsSaid() throws Exception {
        Plan plan = plan("both", List.of(db1b, db1c), "link", 0);
        List<Finding> ready = plan.findings().stream().filter(f -> f.check().equals(StandbyReadiness.ID)).toList();
        assertThat(ready).as(plan.findings().toString()).allMatch(f -> f.severity() == Severity.INFO)
                .extracting(Finding::title)
                .containsExactly("Standby db1b will be rsynced", "Standby db1c will be re-created");
        assertThat(ready.get(1).detail()).as("db1's postgres has no way to db1c over SSH")
                .contains("ssh postgres@" + HOSTS.host("db1c").address(), "failed");
        Finding sync = plan.findings().stream().filter(f -> f.check().equals(SynchronousStandbys.ID)).findFirst()
                .orElseThrow();
        assertThat(sync.objects()).containsExactly("standby db1b");

        // the dry run reads the standbys again, runs the pre-flight's real parts, and says what each standby step would do
        CliRun dry = CliRun.of("execute", "--dry-run", "-i", dir.resolve("both.yaml").toString(),
                dir.resolve("both.plan.json").toString());
        assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
        assertThat(dry.out()).contains("outage.standby-replayed.db1b", "on standby db1b: wait until its replay"
                        + " position is past the shutdown checkpoint", "outage.standby-rsync.db1b",
                "on source for db1b: ", "rsync --archive --delete --hard-links --size-only", "post.standby-clone.db1c",
                "pg_basebackup");
        assertThat(HostReplicaSetProbe.streams(primary)).as("nothing was stopped").isEqualTo(2);
    }

    @Test
    void anUnlistedStandbyIsABlocker() throws Exception {
        Plan plan = plan("unlisted", List.of(db1b), "swap", 3);
        Finding b = plan.blockers().stream().filter(f -> f.check().equals(StandbysListed.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(plan.findings()));
        assertThat(b.objects()).containsExactly("standby db1c from " + HOSTS.host("db1c").address()
                + " (streaming, async)");
    }

    @Test
    void aListedServerOfAnotherClusterIsBadInputNamingIt() {
        Path inv = TestInventory.inPlaceOnHosts(dir.resolve("other.yaml"), "other", primary, List.of(db1b, other),
                HOSTS.knownHosts(), "swap", "");
        CliRun run = CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err().strip()).contains("standbys[1] (other): its server at 127.0.0.1:5432 on " + HOSTS.host("other").address() + " has system"
                + " identifier").contains("not a standby of the source").doesNotContain("\n").doesNotContain("at io.");
        assertThat(dir.resolve("other.plan.json")).doesNotExist();
    }

    @Test
    void anUnreachableStandbyHostIsBadInputNamingIt() {
        Path inv = TestInventory.inPlaceOnHosts(dir.resolve("gone.yaml"), "gone", primary, List.of(db1b),
                HOSTS.knownHosts(), "swap", "");
        TestInventory.write(inv, read(inv).replace("    ssh: { user: postgres, port: 22,",
                "    ssh: { user: postgres, port: 2222,"));
        CliRun run = CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("pgmigrate: " + inv + ": standbys[0] (db1b): cannot be read: ").doesNotContain("\n");
    }

    /**
     * The standbys of the example plan with standbys (plans/examples/orders-prod-standbys.*) are these two, as
     * inspection reads them: recorded with {@code -Dpgmigrate.recordExamples=true} (addresses rewritten to names),
     * otherwise checked to have the recorded shape, so that the example cannot drift from what inspection produces.
     */
    @Test
    void recordedStandbyFactsMatchWhatInspectionProduces() throws Exception {
        Path yaml = TestInventory.inPlaceOnHosts(dir.resolve("record.yaml"), "record", primary, List.of(db1b, db1c),
                HOSTS.knownHosts(), "link", "");
        io.pgmigrate.inventory.Inventory inv = io.pgmigrate.inventory.InventoryLoader.load(yaml);
        io.pgmigrate.transport.TransportOptions options = io.pgmigrate.transport.TransportOptions.defaults();
        List<io.pgmigrate.facts.StandbyFacts> read;
        try (var source = io.pgmigrate.transport.Transports.clusterAccess(inv.source(), options);
             var b = io.pgmigrate.transport.Transports.clusterAccess(inv.standbys().get(0).host(),
                     inv.standbys().get(0).pg(), true, options);
             var c = io.pgmigrate.transport.Transports.clusterAccess(inv.standbys().get(1).host(),
                     inv.standbys().get(1).pg(), true, options)) {
            read = new io.pgmigrate.inspect.Inspector().inspect(inv, source, source.shell(),
                    s -> s.name().equals("db1b") ? b : c).standbys();
        }
        String json = named(PlanJson.write(read));
        Path file = Path.of("src/test/resources/examples/orders-prod-standbys.standbys.json");
        if (Boolean.getBoolean("pgmigrate.recordExamples")) {
            java.nio.file.Files.writeString(file, json);
        }
        List<io.pgmigrate.facts.StandbyFacts> recorded = PlanJson.mapper().readValue(java.nio.file.Files.readString(
                file), new com.fasterxml.jackson.core.type.TypeReference<>() { });
        List<io.pgmigrate.facts.StandbyFacts> fresh = PlanJson.mapper().readValue(json,
                new com.fasterxml.jackson.core.type.TypeReference<>() { });
        assertThat(recorded).extracting(io.pgmigrate.facts.StandbyFacts::name).containsExactly("db1b", "db1c");
        assertThat(recorded).extracting(s -> s.sender().syncState()).containsExactlyElementsOf(
                fresh.stream().map(s -> s.sender().syncState()).toList());
        assertThat(recorded).extracting(s -> s.rsyncProblem() == null).containsExactlyElementsOf(
                fresh.stream().map(s -> s.rsyncProblem() == null).toList());
        assertThat(recorded.get(0).settings().keySet()).isEqualTo(fresh.get(0).settings().keySet());
    }

    /** The hosts' addresses as the example's host names, and the test's passwordless loopback as a DBA's. */
    private static String named(String json) {
        return json.replace(HOSTS.host("db1b").address(), "db1b.internal")
                .replace(HOSTS.host("db1c").address(), "db1c.internal")
                .replace(HOSTS.host("db1").address(), "db1.internal");
    }

    /** How many standbys stream from the primary now. */
    static final class HostReplicaSetProbe {
        static long streams(HostCluster primary) {
            return primary.longValue("postgres", "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'");
        }
    }

    private static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Plan plan(String name, List<HostCluster> standbys, String mode, int exit) throws Exception {
        Path inv = TestInventory.inPlaceOnHosts(dir.resolve(name + ".yaml"), name, primary, standbys,
                HOSTS.knownHosts(), mode, "");
        CliRun run = CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exit);
        return PlanJson.readVerified(dir.resolve(name + ".plan.json"));
    }
}
