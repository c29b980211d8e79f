package io.pgmigrate.check.cluster;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.StandbyFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The standby checks of issue #15 over facts as inspection reads them. */
class StandbyChecksTest {

    private static List<Finding> blockers(List<Finding> all) {
        return Run.of(all, Severity.BLOCKER);
    }

    @Test
    void anUnlistedStandbyIsABlockerNamingIt() {
        Facts f = Facts.healthy().withStandby("db1b", "10.0.0.2", "sync");
        f.standbys.add(new SourceFacts.StandbyFacts("db1c", "10.0.0.3", "streaming", "async"));
        List<Finding> found = Run.check(new StandbysListed(), f, Inventories.withStandbys(UpgradeMode.LINK, "db1b"));

        assertThat(blockers(found)).singleElement().satisfies(b -> {
            assertThat(b.objects()).containsExactly("standby db1c from 10.0.0.3 (streaming, async)");
            assertThat(b.fix()).contains("standbys:", "rebuild: false");
        });
    }

    @Test
    void everyStandbyListedIsNoFinding() {
        Facts f = Facts.healthy().withStandby("db1b", "10.0.0.2", "sync").withStandby("db1c", "10.0.0.3", "async");
        assertThat(Run.check(new StandbysListed(), f, Inventories.withStandbys(UpgradeMode.LINK, "db1b", "db1c")))
                .isEmpty();
    }

    @Test
    void aStandbyListedWithRebuildFalseIsKnownAndAWarning() {
        Facts f = Facts.healthy().withStandby("db1b", "10.0.0.2", "async");
        Inventory.Standby left = Inventories.standby("db1b");
        Inventory inv = Inventories.sample().withStandbys(List.of(new Inventory.Standby(left.name(), left.host(),
                left.pg(), false, left.dataDir(), left.binDir(), left.targetDataDir(), left.targetBinDir(), false)));
        List<Finding> found = Run.check(new StandbysListed(), f, inv);
        assertThat(blockers(found)).isEmpty();
        assertThat(found).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Severity.WARNING);
            assertThat(w.objects()).containsExactly("db1b");
        });
    }

    @Test
    void standbysOfBlueAreNoConcernOfALogicalPlan() {
        Facts f = Facts.healthy();
        f.standbys.add(new SourceFacts.StandbyFacts("db1c", "10.0.0.3", "streaming", "async"));
        assertThat(Run.check(new StandbysListed(), f, Inventories.logical())).isEmpty();
    }

    @Test
    void aHealthyStandbyIsOnlyToldWhichWayItGoes() {
        Facts f = Facts.healthy().withStandby("db1b", "10.0.0.2", "sync");
        List<Finding> link = Run.check(new StandbyReadiness(), f, Inventories.withStandbys(UpgradeMode.LINK, "db1b"));
        assertThat(link).singleElement().satisfies(i -> {
            assertThat(i.severity()).isEqualTo(Severity.INFO);
            assertThat(i.title()).contains("rsynced");
        });
        List<Finding> swap = Run.check(new StandbyReadiness(), f, Inventories.withStandbys(UpgradeMode.SWAP, "db1b"));
        assertThat(swap).singleElement().satisfies(i -> {
            assertThat(i.title()).contains("re-created");
            assertThat(i.detail()).contains("link mode only");
        });
    }

    @Test
    void aStandbyThatDoesNotStreamOrLagsIsNamed() {
        Facts f = Facts.healthy();
        StandbyFacts h = f.listedStandby("db1b", "10.0.0.2", "async");
        f.listedStandbys.add(new StandbyFacts(h.name(), h.version(), h.systemIdentifier(), true, h.dataDirectory(),
                h.configFile(), h.hbaFile(), h.replayLsn(), null, null, false, h.hostAddresses(), h.oldDataDir(),
                h.target(), "no WAL receiver", null, h.settings()));
        f.listedStandbys.add(lagging(f.listedStandby("db1c", "10.0.0.3", "async"), 200 * Bytes.MIB));
        List<Finding> found = Run.check(new StandbyReadiness(), f,
                Inventories.withStandbys(UpgradeMode.LINK, "db1b", "db1c"));

        assertThat(blockers(found)).anySatisfy(b -> {
            assertThat(b.title()).isEqualTo("Standby db1b is not streaming from the source");
            assertThat(b.objects()).containsExactly("standby db1b: WAL receiver not running");
        });
        assertThat(Run.of(found, Severity.WARNING)).singleElement().satisfies(w -> {
            assertThat(w.title()).contains("db1c lags");
            assertThat(w.objects()).containsExactly("standby db1c: replay 200 MiB behind");
        });
    }

    private static StandbyFacts lagging(StandbyFacts s, long lag) {
        StandbyFacts.Sender m = s.sender();
        return new StandbyFacts(s.name(), s.version(), s.systemIdentifier(), true, s.dataDirectory(), s.configFile(),
                s.hbaFile(), s.replayLsn(), s.receiver(), new StandbyFacts.Sender(m.applicationName(),
                m.clientAddress(), m.state(), m.syncState(), m.syncPriority(), lag), false, s.hostAddresses(),
                s.oldDataDir(), s.target(), s.primaryReachable(), s.rsyncProblem(), s.settings());
    }

    @Test
    void aStandbyHostWithoutTheExtensionsOrSpaceIsABlocker() {
        Facts f = Facts.healthy();
        f.databases.set(1, Facts.db("shop", 2_000_000_000L, 420, Facts.ext("pgcrypto", "1.3")));
        f.listedStandbys.add(f.listedStandby("db1c", "10.0.0.3", "async"));
        f.targetExtensions.remove("pgcrypto");
        f.targetDefaultVersions.remove("pgcrypto");
        f.targetDataDir = new HostFacts("/var/lib/postgresql/18/main", false, null, "2049", "ext2/ext3",
                Bytes.GIB, true, null, "/var/lib/postgresql");
        f.listedStandbys.add(f.listedStandby("db1b", "10.0.0.2", "async"));
        List<Finding> found = blockers(Run.check(new StandbyReadiness(), f,
                Inventories.withStandbys(UpgradeMode.SWAP, "db1b", "db1c")));

        assertThat(found).extracting(Finding::title).containsExactly(
                "Standby db1b lacks extensions or libraries the source uses",
                "Not enough disk for standby db1b's new data directory");
        assertThat(found.get(0).objects()).singleElement().asString().contains("extension pgcrypto");
        assertThat(found.get(1).objects()).singleElement().asString().contains("1 GiB free");
    }

    @Test
    void aStandbyThatCannotReachThePrimaryCannotBeReCreated() {
        Facts f = Facts.healthy();
        StandbyFacts h = f.listedStandby("db1b", "10.0.0.2", "async");
        f.listedStandbys.add(new StandbyFacts(h.name(), h.version(), h.systemIdentifier(), true, h.dataDirectory(),
                h.configFile(), h.hbaFile(), h.replayLsn(), h.receiver(), h.sender(), false, h.hostAddresses(),
                h.oldDataDir(), h.target(), "fe_sendauth: no password supplied", null, h.settings()));
        assertThat(blockers(Run.check(new StandbyReadiness(), f, Inventories.withStandbys(UpgradeMode.SWAP, "db1b"))))
                .singleElement().satisfies(b -> {
                    assertThat(b.objects()).containsExactly("standby db1b: fe_sendauth: no password supplied");
                    assertThat(b.fix()).contains(".pgpass");
                });
    }

    @Test
    void rsyncNeedsSshFromThePrimarysHostElseTheStandbyIsReCreated() {
        Facts f = Facts.healthy();
        StandbyFacts h = f.listedStandby("db1b", "10.0.0.2", "async");
        f.listedStandbys.add(new StandbyFacts(h.name(), h.version(), h.systemIdentifier(), true, h.dataDirectory(),
                h.configFile(), h.hbaFile(), h.replayLsn(), h.receiver(), h.sender(), false, h.hostAddresses(),
                h.oldDataDir(), h.target(), null, "ssh postgres@db1b.internal from the source's host failed:"
                + " Host key verification failed.", h.settings()));
        Inventory inv = Inventories.withStandbys(UpgradeMode.LINK, "db1b");
        StandbyMethod m = StandbyMethod.of(inv, f.build(), inv.standbys().get(0));
        assertThat(m.kind()).isEqualTo(StandbyMethod.Kind.CLONE);
        assertThat(m.why()).contains("Host key verification failed");
    }

    @Test
    void synchronousStandbyNamesAreClearedUntilTheStandbyStreams() {
        Facts f = Facts.healthy().withStandby("db1b", "10.0.0.2", "sync").withStandby("db1c", "10.0.0.3", "async");
        f.nonDefaultSettings.put("synchronous_standby_names", "db1b");
        List<Finding> found = Run.check(new SynchronousStandbys(), f,
                Inventories.withStandbys(UpgradeMode.LINK, "db1b", "db1c"));
        assertThat(found).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Severity.WARNING);
            assertThat(w.objects()).containsExactly("standby db1b");
            assertThat(w.detail()).contains("synchronous_standby_names = 'db1b'", "sets it back");
        });
        assertThat(Run.check(new SynchronousStandbys(), f, Inventories.withStandbys(UpgradeMode.LINK, "db1c")))
                .singleElement().satisfies(w -> assertThat(w.title())
                        .isEqualTo("No standby pgmigrate rebuilds is a synchronous one"));
    }

    /** Blue/green: blue's synchronous_standby_names would make green's commits wait forever; green starts without. */
    @Test
    void blueGreenGreenStartsWithoutBluesSynchronousStandbyNames() {
        Facts f = Facts.healthy();
        f.nonDefaultSettings.put("synchronous_standby_names", "FIRST 1 (db1b)");
        assertThat(Run.check(new SynchronousStandbys(), f, Inventories.logical())).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Severity.WARNING);
            assertThat(w.title()).isEqualTo("Green starts without synchronous_standby_names");
            assertThat(w.objects()).containsExactly("synchronous_standby_names = 'FIRST 1 (db1b)'");
        });
        io.pgmigrate.plan.Plan plan = io.pgmigrate.planner.Planner.plan(Inventories.logical(), f.build(),
                java.time.Instant.parse("2026-12-08T00:00:00Z"));
        io.pgmigrate.plan.Action.WriteFile settings = (io.pgmigrate.plan.Action.WriteFile) plan.step("green.settings")
                .orElseThrow().action();
        assertThat(settings.content()).doesNotContain("synchronous_standby_names");
        Facts plain = Facts.healthy();
        assertThat(Run.check(new SynchronousStandbys(), plain, Inventories.logical())).isEmpty();
    }

    @Test
    void noSynchronousStandbyNamesNoFinding() {
        Facts f = Facts.healthy().withStandby("db1b", "10.0.0.2", "async");
        assertThat(Run.check(new SynchronousStandbys(), f, Inventories.withStandbys(UpgradeMode.LINK, "db1b")))
                .isEmpty();
    }
}
