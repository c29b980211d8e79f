package io.pgmigrate.planner.inplace;

import io.pgmigrate.execute.MeasuredOutage;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-place plan of a cluster under Patroni (issue #15): what it does to Patroni, in which order, on which host. */
class PatroniPlanTest {
    private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");

    private static Plan plan(UpgradeMode mode, boolean paused) {
        Inventory inv = Inventories.withPatroni(mode, "db1b", "db1c");
        Facts f = Facts.healthy().withStandby("db1b", "10.0.0.2", "sync").withStandby("db1c", "10.0.0.3", "async")
                .withPatroni("db1b", "db1c");
        if (paused) {
            var p = f.patroni;
            f.patroni = new io.pgmigrate.facts.PatroniFacts(p.scope(), p.endpoints(), p.members(), true,
                    p.dcsParameters(), p.dcsProblem());
        }
        return Planner.plan(inv, f.build(), T0);
    }

    private static List<String> ids(Plan plan) {
        return plan.steps().stream().map(Step::id).toList();
    }

    @Test
    void linkPausesStopsPatroniEverywhereBeforeThePrimaryAndStartsTheLeaderFirst() {
        Plan plan = plan(UpgradeMode.LINK, false);
        assertThat(ids(plan)).containsSubsequence("outage.patroni-pause", "outage.patroni-stop.db1b",
                "outage.patroni-stop.db1c", "outage.patroni-stop-leader", "outage.stop-old",
                "outage.standby-checkpoint.db1c", "outage.pg-upgrade", "outage.standby-rsync.db1c",
                "outage.patroni-config-leader", "outage.patroni-config.db1b", "outage.patroni-config.db1c",
                "outage.patroni-unpause-in-dcs", "outage.patroni-forget-old-cluster", "outage.start-new",
                "outage.patroni-leads", "outage.wait-ready", "post.patroni-start.db1b", "post.patroni-start.db1c",
                "post.standby-streams.db1b", "post.standby-streams.db1c");
        assertThat(ids(plan)).as("Patroni writes the configuration, makes the slots, starts the replicas and sets"
                        + " synchronous_standby_names").doesNotContain("prepare.settings", "outage.standby-slots",
                        "outage.standby-start.db1b", "post.standby-start.db1b", "outage.synchronous-standbys",
                        "post.synchronous-standbys", "post.patroni-pause-again");

        Step stop = plan.step("outage.patroni-stop.db1b").orElseThrow();
        assertThat(stop.host()).isEqualTo(HostRole.STANDBY);
        assertThat(stop.standby()).isEqualTo("db1b");
        assertThat(stop.role()).isEqualTo(StepRole.PATRONI_STOP);
        assertThat(stop.action()).isEqualTo(new Action.PatroniStop("db1b", "db1b.internal:8008",
                List.of("systemctl", "stop", "patroni"), List.of("systemctl", "start", "patroni")));
        assertThat(plan.step("outage.patroni-stop-leader").orElseThrow().host()).isEqualTo(HostRole.SOURCE);

        Step start = plan.step("outage.start-new").orElseThrow();
        assertThat(start.role()).isEqualTo(StepRole.START_NEW_CLUSTER);
        assertThat(start.marker()).isEqualTo(io.pgmigrate.plan.Marker.POINT_OF_NO_RETURN);
        assertThat(((Action.RunCommand) start.action()).argv()).containsExactly("systemctl", "start", "patroni");

        Action.PatroniConfig config = (Action.PatroniConfig) plan.step("outage.patroni-config.db1c").orElseThrow()
                .action();
        assertThat(config.path()).isEqualTo("/etc/patroni/patroni.yml");
        assertThat(config.dataDir()).isNotEqualTo(config.oldDataDir());
        assertThat(config.removeParameters()).as("gone in 16 and 17").containsExactly("db_user_namespace",
                "old_snapshot_threshold", "promote_trigger_file", "trace_recovery_messages", "vacuum_defer_cleanup_age");
        assertThat(config.renameParameters()).containsExactly(java.util.Map.entry("force_parallel_mode",
                "debug_parallel_query"));
        assertThat(ids(plan).indexOf("outage.patroni-pause")).as("failover is off before the clients wait")
                .isLessThan(ids(plan).indexOf("outage.pause-clients") < 0 ? Integer.MAX_VALUE
                        : ids(plan).indexOf("outage.pause-clients"));
        assertThat(plan.step("outage.patroni-pause").orElseThrow().inOutage()).as("writes go on while it pauses")
                .isFalse();
    }

    @Test
    void swapLeavesTheReplicasToPatroniWhichClonesThemAndAPausedClusterIsPausedAgain() {
        Plan plan = plan(UpgradeMode.SWAP, true);
        assertThat(ids(plan)).contains("post.patroni-start.db1b", "post.standby-streams.db1b")
                .doesNotContain("post.standby-clone.db1b", "outage.standby-rsync.db1b");
        assertThat(plan.step("post.standby-streams.db1b").orElseThrow().timeout())
                .as("Patroni's pg_basebackup may take as long as a copy").isGreaterThanOrEqualTo(Duration.ofMinutes(30));
        assertThat(ids(plan).get(ids(plan).size() - 1 - plan.phases().get(plan.phases().size() - 1).steps().size()))
                .isEqualTo("post.patroni-pause-again");
    }

    /** After a switchover the standbys are not read (they follow another primary): no Patroni step, no failure. */
    @Test
    void aClusterAnotherMemberLeadsGetsNoPatroniSteps() {
        Inventory inv = Inventories.withPatroni(UpgradeMode.LINK, "db1b", "db1c");
        Facts f = Facts.healthy().withPatroni("db1b", "db1c");
        var p = f.patroni;
        f.patroni = new io.pgmigrate.facts.PatroniFacts(p.scope(), p.endpoints(), p.members().stream()
                .map(m -> new io.pgmigrate.facts.PatroniFacts.Member(m.name(), m.source() ? "replica"
                        : "db1b".equals(m.standby()) ? "leader" : m.role(), m.state(), m.host(), m.port(), m.apiUrl(),
                        m.timeline(), m.lagBytes(), m.pendingRestart(), m.source(), m.standby())).toList(), false,
                p.dcsParameters(), p.dcsProblem());
        Plan plan = Planner.plan(inv, f.build(), T0);
        assertThat(ids(plan)).noneMatch(id -> id.contains("patroni"));
        assertThat(plan.ready()).isFalse();
    }

    @Test
    void timeUntilHighlyAvailableRunsFromThePatroniPause() {
        Plan plan = plan(UpgradeMode.LINK, false);
        List<JournalEvent> journal = List.of(
                started(0, "outage.patroni-pause"), finished(0.2, "outage.patroni-pause"),
                started(3, "outage.checkpoint"), finished(4, "outage.checkpoint"),
                started(20, "post.standby-streams.db1b"), finished(21, "post.standby-streams.db1b"),
                started(21, "post.standby-streams.db1c"), finished(25, "post.standby-streams.db1c"));
        assertThat(MeasuredOutage.untilHighlyAvailable(plan, journal)).isEqualTo(Duration.ofSeconds(25));
    }

    private static JournalEvent started(double s, String step) {
        return new JournalEvent.StepStarted(T0.plusMillis((long) (s * 1000)), step, JournalEvent.Recorded.NOTHING);
    }

    private static JournalEvent finished(double s, String step) {
        return new JournalEvent.StepFinished(T0.plusMillis((long) (s * 1000)), step, 1L, null, null, false);
    }
}
