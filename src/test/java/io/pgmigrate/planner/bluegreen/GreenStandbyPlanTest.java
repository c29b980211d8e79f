package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.facts.GreenStandbyFacts;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Blue/green with green's own standbys (issue #15): made from green before the cutover, streaming before it. */
class GreenStandbyPlanTest {
    private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");

    private static Inventory.Host host(String name) {
        return new Inventory.Host(name, new Inventory.Ssh("admin", 22, Path.of("/home/dba/.ssh/id_ed25519"),
                Path.of("/home/dba/.ssh/known_hosts")), "postgres");
    }

    /** Green on a host of its own (db2.internal), or beside blue on this machine. */
    private static Inventory inventory(boolean greenElsewhere) {
        Inventory inv = Inventories.logical();
        Inventory.TargetCluster t = inv.target();
        if (greenElsewhere) {
            t = new Inventory.TargetCluster(t.version(), t.binDir(), t.dataDir(), t.port(), host("db2.internal"),
                    t.service());
        }
        inv = new Inventory(inv.name(), inv.strategy(), inv.source(), t, inv.options(), inv.cutover(),
                inv.smokeQueries(), inv.standbys(), inv.ha(), inv.file());
        Inventory.Host host = host("db2b.internal");
        Inventory.GreenStandby b = new Inventory.GreenStandby("db2b", host, new Inventory.PgEndpoint("127.0.0.1",
                5433, "postgres", "postgres", "prefer"), true, Path.of("/var/lib/postgresql/18/green"),
                Path.of("/usr/lib/postgresql/18/bin"), "replicator");
        return new Inventory(inv.name(), inv.strategy(), inv.source(), inv.target().withStandbys(List.of(b)),
                inv.options(), inv.cutover(), inv.smokeQueries(), inv.standbys(), inv.ha(), inv.file());
    }

    private static ClusterFacts facts(boolean emptyDir, long freeBytes, int major) {
        return Facts.healthy().build().withGreenStandbys(List.of(new GreenStandbyFacts("db2b",
                new PgVersion(major, 1), new PgVersion(major, 1), new HostFacts("/var/lib/postgresql/18/green",
                !emptyDir, null, "1", "ext4", freeBytes, emptyDir, null, "/var/lib/postgresql/18"))));
    }

    private static List<String> ids(Plan plan) {
        return plan.steps().stream().map(Step::id).toList();
    }

    @Test
    void greensStandbyIsCopiedAsSoonAsGreenRunsAndStreamsBeforeTheCutover() {
        Plan plan = Planner.plan(inventory(true), facts(true, 1L << 40, 18), T0);
        assertThat(plan.blockers()).noneMatch(f -> f.check().equals("logical-green-standbys"));
        assertThat(ids(plan)).containsSubsequence("green.ready", "schema.globals-restore", "schema.restore.shop",
                "replicate.standby-workdir.db2b", "replicate.standby-slot.db2b", "replicate.standby-clone.db2b",
                "replicate.standby-settings.db2b", "replicate.standby-signal.db2b", "replicate.standby-start.db2b",
                "replicate.subscription.shop", "replicate.initial-copy.shop",
                "replicate.green-standby-streams.db2b", "cutover.schema-check");

        Step clone = plan.step("replicate.standby-clone.db2b").orElseThrow();
        assertThat(clone.host()).isEqualTo(HostRole.STANDBY);
        assertThat(clone.standby()).isEqualTo("db2b");
        assertThat(clone.role()).isEqualTo(StepRole.STANDBY_REBUILD);
        assertThat(((Action.RunCommand) clone.action()).argv()).contains("--pgdata=/var/lib/postgresql/18/green",
                "--slot=pgmigrate_standby_db2b", "--no-password")
                .anyMatch(a -> a.startsWith("--dbname=host='db2.internal' port='5433'") && a.contains("user='replicator'")
                        && a.contains("application_name='db2b'") && !a.contains("password"));

        String settings = ((Action.WriteFile) plan.step("replicate.standby-settings.db2b").orElseThrow().action()).content();
        assertThat(settings).contains("port = '5433'", "primary_slot_name = 'pgmigrate_standby_db2b'",
                "application_name=''db2b''").doesNotContain("password");
        String green = ((Action.WriteFile) plan.step("green.settings").orElseThrow().action()).content();
        assertThat(green).as("a WAL sender and a slot more for the standby").contains("max_wal_senders = '11'",
                "max_replication_slots = '11'");
        assertThat(plan.step("replicate.green-standby-streams.db2b").orElseThrow().role())
                .isEqualTo(StepRole.STANDBY_STREAMING);
        assertThat(plan.findings()).extracting(Finding::title).contains("Green's pg_hba.conf must let its standbys"
                + " replicate");
    }

    @Test
    void greenIsHighlyAvailableFromItsFirstSecondOnceItsStandbysStreamed() {
        Plan plan = Planner.plan(inventory(true), facts(true, 1L << 40, 18), T0);
        var started = new io.pgmigrate.journal.JournalEvent.StepStarted(T0.plusSeconds(10),
                "replicate.green-standby-streams.db2b", io.pgmigrate.journal.JournalEvent.Recorded.NOTHING);
        var finished = new io.pgmigrate.journal.JournalEvent.StepFinished(T0.plusSeconds(12),
                "replicate.green-standby-streams.db2b", 1L, null, null, false);
        var freeze = new io.pgmigrate.journal.JournalEvent.StepStarted(T0.plusSeconds(60), "cutover.freeze",
                io.pgmigrate.journal.JournalEvent.Recorded.NOTHING);
        assertThat(io.pgmigrate.execute.MeasuredOutage.untilHighlyAvailable(plan, List.of(started, freeze)))
                .as("not yet").isNull();
        assertThat(io.pgmigrate.execute.MeasuredOutage.untilHighlyAvailable(plan, List.of(started, finished, freeze)))
                .isEqualTo(java.time.Duration.ZERO);
    }

    @Test
    void aStandbyHostWithOtherBinariesAFullDirectoryOrTooLittleDiskIsABlocker() {
        Plan plan = Planner.plan(inventory(false), facts(false, 1, 17), T0);
        assertThat(plan.blockers()).filteredOn(f -> f.check().equals("logical-green-standbys")).extracting(Finding::title)
                .containsExactlyInAnyOrder("Green's standby db2b cannot reach green at 127.0.0.1",
                "Green's standby db2b has other binaries than PostgreSQL 18",
                "Green's standby db2b's data directory is not empty", "Not enough disk for green's standby db2b");
    }
}
