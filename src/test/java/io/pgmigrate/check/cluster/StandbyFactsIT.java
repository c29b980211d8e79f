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
