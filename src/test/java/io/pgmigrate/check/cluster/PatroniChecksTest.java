package io.pgmigrate.check.cluster;

import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.facts.PatroniFacts.Endpoint;
import io.pgmigrate.facts.PatroniFacts.Member;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Patroni checks of issue #15 over a 3-member cluster (pg1 on the source's host, db1b, db1c) as read. */
class PatroniChecksTest {
    private static final Inventory INV = Inventories.withPatroni(UpgradeMode.LINK, "db1b", "db1c");

    private static Facts healthy() {
        return Facts.healthy().withStandby("db1b", "10.0.0.2", "async").withStandby("db1c", "10.0.0.3", "async")
                .withPatroni("db1b", "db1c");
    }

    private static PatroniFacts with(PatroniFacts p, List<Endpoint> endpoints, List<Member> members, boolean paused,
                                     List<String> parameters) {
        return new PatroniFacts(p.scope(), endpoints, members, paused, parameters, parameters == null
                ? "Patroni at http://db1.internal:8008/config answered HTTP 401: no auth header received" : null);
    }

    private static Member member(Member m, String role, boolean pendingRestart) {
        return new Member(m.name(), role, m.state(), m.host(), m.port(), m.apiUrl(), m.timeline(), m.lagBytes(),
                pendingRestart, m.source(), m.standby());
    }

    private static Endpoint endpoint(Endpoint e, String patroniVersion) {
        return new Endpoint(e.endpoint(), e.member(), patroniVersion, e.role(), e.state(), e.serverVersion(),
                e.systemIdentifier(), e.timeline(), e.pendingRestart(), e.paused());
    }

    @Test
    void aHealthyPatroniClusterWhoseSourceRunsUnderPgCtlHasNoFinding() {
        Facts f = healthy();
        for (var check : List.of(new PatroniExecution(), new PatroniLeader(), new PatroniMembers(),
                new PatroniPendingRestart(), new PatroniPaused(), new PatroniDcsSettings())) {
            assertThat(Run.check(check, f, INV)).as(check.id()).isEmpty();
        }
    }

    @Test
    void aMemberListedWithRebuildFalseBlocksUnderPatroni() {
        Inventory.Standby b = INV.standbys().get(0);
        Inventory left = INV.withStandbys(List.of(new Inventory.Standby(b.name(), b.host(), b.pg(), b.tunnel(),
                b.dataDir(), b.binDir(), b.targetDataDir(), b.targetBinDir(), false), INV.standbys().get(1)));
        assertThat(Run.check(new PatroniExecution(), healthy(), left)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(f.title()).isEqualTo("Every Patroni member must be upgraded with the cluster");
            assertThat(f.objects()).containsExactly("standbys: db1b (rebuild: false)");
        });
    }

    @Test
    void aSourceStartedByAnotherServiceThanPgCtlBlocksUnderPatroni() {
        Inventory.SourceCluster s = INV.source();
        Inventory debian = new Inventory(INV.name(), INV.strategy(), new Inventory.SourceCluster(s.host(), s.pg(),
                s.tunnel(), s.dataDir(), s.binDir(), s.configFile(), new Inventory.ServiceControl(
                Inventory.ServiceControl.Kind.SYSTEMD, "postgresql@15-main")), INV.target(), INV.options(),
                INV.cutover(), INV.smokeQueries(), INV.standbys(), INV.ha(), INV.file());
        assertThat(Run.check(new PatroniExecution(), healthy(), debian)).singleElement().satisfies(b -> {
            assertThat(b.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(b.title()).isEqualTo("source.service must be pg_ctl under Patroni");
            assertThat(b.detail()).contains("systemd postgresql@15-main");
            assertThat(b.objects()).containsExactly("source.service");
        });
    }

    @Test
    void withoutPatroniOrWithBlueGreenNoPatroniCheckSpeaks() {
        Facts plain = Facts.healthy();
        Inventory logical = Inventories.logical();
        for (var check : List.of(new PatroniExecution(), new PatroniLeader(), new PatroniMembers(),
                new PatroniPendingRestart(), new PatroniPaused(), new PatroniVersion(), new PatroniDcsSettings())) {
            assertThat(Run.check(check, plain, Inventories.sample())).as(check.id()).isEmpty();
            assertThat(Run.check(check, healthy(), logical)).as(check.id()).isEmpty();
        }
    }

    @Test
    void aPausedClusterIsAWarningSayingWhatTheUpgradeDoesWithThePause() {
        Facts f = healthy();
        f.patroni = with(f.patroni, f.patroni.endpoints(), f.patroni.members(), true, List.of());
        assertThat(Run.check(new PatroniPaused(), f, INV)).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Severity.WARNING);
            assertThat(w.detail()).contains("pauses the cluster again once it is healthy on the new version, as it"
                    + " found it");
            assertThat(w.fix()).contains("patronictl -c /etc/patroni/patroni.yml resume --wait");
        });
    }

    @Test
    void aPendingRestartIsABlockerNamingTheMembers() {
        Facts f = healthy();
        List<Member> members = new ArrayList<>(f.patroni.members());
        members.set(2, member(members.get(2), "replica", true));
        f.patroni = with(f.patroni, f.patroni.endpoints(), members, false, List.of());
        assertThat(Run.check(new PatroniPendingRestart(), f, INV)).singleElement().satisfies(b -> {
            assertThat(b.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(b.objects()).containsExactly("member db1c");
            assertThat(b.fix()).contains("patronictl -c /etc/patroni/patroni.yml restart pgm <member>");
        });
    }

    @Test
    void aLeaderOtherThanTheSourceIsABlockerNamingBoth() {
        Facts f = healthy();
        List<Member> members = new ArrayList<>(f.patroni.members());
        members.set(0, member(members.get(0), "replica", false));
        members.set(1, member(members.get(1), "leader", false));
        f.patroni = with(f.patroni, f.patroni.endpoints(), members, false, List.of());
        assertThat(Run.check(new PatroniLeader(), f, INV)).singleElement().satisfies(b -> {
            assertThat(b.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(b.title()).isEqualTo("Patroni's leader is db1b, not the inventory's source (local)");
            assertThat(b.objects()).containsExactly("leader db1b (db1b.internal:5432, leader, running)",
                    "source local");
            assertThat(b.detail()).contains("listed as standby db1b");
            assertThat(b.fix()).contains("switchover --leader db1b --candidate pg1");
        });
    }

    @Test
    void noLeaderAtAllIsABlocker() {
        Facts f = healthy();
        List<Member> members = new ArrayList<>(f.patroni.members());
        members.set(0, member(members.get(0), "replica", false));
        f.patroni = with(f.patroni, f.patroni.endpoints(), members, true, List.of());
        assertThat(Run.check(new PatroniLeader(), f, INV)).singleElement()
                .extracting(Finding::title).isEqualTo("No Patroni member holds the leader lock");
    }

    @Test
    void aMemberOnAnUnlistedHostIsABlockerAskingToListIt() {
        Facts f = healthy();
        List<Member> members = new ArrayList<>(f.patroni.members());
        members.add(new Member("db1d", "replica", "running", "db1d.internal", 5432, "http://db1d.internal:8008/patroni",
                1, 0L, false, false, null));
        List<Endpoint> endpoints = new ArrayList<>(f.patroni.endpoints());
        endpoints.add(new Endpoint("db1d.internal:8008", "db1d", "3.0.2", "replica", "running", 150018,
                f.systemIdentifier, 1, false, false));
        f.patroni = with(f.patroni, endpoints, members, false, List.of());
        assertThat(Run.check(new PatroniMembers(), f, INV)).singleElement().satisfies(b -> {
            assertThat(b.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(b.objects()).containsExactly("db1d (db1d.internal:5432, replica, running)");
            assertThat(b.fix()).startsWith("list each under standbys:");
        });
    }

    @Test
    void aMemberWithoutItsRestApiListedIsABlocker() {
        Facts f = healthy();
        f.patroni = with(f.patroni, f.patroni.endpoints().subList(0, 2), f.patroni.members(), false, List.of());
        assertThat(Run.check(new PatroniMembers(), f, INV)).singleElement().satisfies(b -> {
            assertThat(b.title()).isEqualTo("1 Patroni member(s) have no REST API under ha.patroni.rest");
            assertThat(b.objects()).containsExactly("db1c (http://db1c.internal:8008/patroni)");
        });
    }

    @Test
    void patroni302IsKnownToRun18ButNotToSetItsNewSettings() {
        List<Finding> found = Run.check(new PatroniVersion(), healthy(), INV);
        assertThat(found).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Severity.WARNING);
            assertThat(w.title()).isEqualTo("Patroni 3.0 cannot set settings new since PostgreSQL 16");
            assertThat(w.objects()).containsExactly("db1b: Patroni 3.0.2", "db1c: Patroni 3.0.2", "pg1: Patroni 3.0.2");
            assertThat(w.fix()).contains("ALTER SYSTEM");
        });
        Facts later = healthy();
        later.patroni = with(later.patroni, later.patroni.endpoints().stream().map(e -> endpoint(e, "4.0.4")).toList(),
                later.patroni.members(), false, List.of());
        assertThat(Run.check(new PatroniVersion(), later, INV)).as("not tried here, not warned about").isEmpty();
    }

    @Test
    void patroniOlderThanTheOneTriedIsAWarningNamingTheMembers() {
        Facts f = healthy();
        List<Endpoint> endpoints = new ArrayList<>(f.patroni.endpoints());
        endpoints.set(1, endpoint(endpoints.get(1), "2.1.4"));
        f.patroni = with(f.patroni, endpoints, f.patroni.members(), false, List.of());
        assertThat(Run.check(new PatroniVersion(), f, INV)).singleElement().satisfies(w -> {
            assertThat(w.title()).isEqualTo("Patroni older than 3.0.2, the oldest known to run PostgreSQL 18");
            assertThat(w.objects()).containsExactly("db1b: Patroni 2.1.4");
        });
        assertThat(PatroniVersion.parse("3.0.2")).containsExactly(3, 0, 2);
        assertThat(PatroniVersion.parse("4.1")).containsExactly(4, 1, 0);
        assertThat(PatroniVersion.parse("3.3.0rc1")).containsExactly(3, 3, 0);
        assertThat(PatroniVersion.parse(null)).isNull();
    }

    @Test
    void settingsOfTheDcsThatTheTargetDoesNotKnowAreABlockerWithTheEditConfig() {
        Facts f = healthy();
        f.patroni = with(f.patroni, f.patroni.endpoints(), f.patroni.members(), false, List.of("fsync",
                "force_parallel_mode", "ssl_ecdh_curve", "stats_temp_directory", "vacuum_defer_cleanup_age"));
        assertThat(Run.check(new PatroniDcsSettings(), f, INV)).singleElement().satisfies(b -> {
            assertThat(b.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(b.objects()).as("stats_temp_directory went in 15, the source's; ssl_ecdh_curve is an alias")
                    .containsExactly("force_parallel_mode (renamed to debug_parallel_query in PostgreSQL 16)",
                            "vacuum_defer_cleanup_age (removed in PostgreSQL 16)");
            assertThat(b.fix()).startsWith("remove them: patronictl -c /etc/patroni/patroni.yml edit-config --force"
                    + " -s postgresql.parameters.force_parallel_mode=null"
                    + " -s postgresql.parameters.vacuum_defer_cleanup_age=null");
        });
    }

    @Test
    void anUnreadableDynamicConfigurationIsAWarning() {
        Facts f = healthy();
        f.patroni = with(f.patroni, f.patroni.endpoints(), f.patroni.members(), false, null);
        assertThat(Run.check(new PatroniDcsSettings(), f, INV)).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Severity.WARNING);
            assertThat(w.detail()).contains("HTTP 401");
            assertThat(w.fix()).contains("show-config");
        });
    }
}
