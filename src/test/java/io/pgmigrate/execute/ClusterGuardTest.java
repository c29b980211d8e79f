package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalEvent.CreatedCluster;
import io.pgmigrate.journal.JournalEvent.Recorded;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.testing.fakes.FakeShell;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data directory is removed only while it holds what this execution made there: the cluster journaled right after
 * initdb, or what an initdb begun on an absent directory left; anything else is refused in one line that names the
 * directory and what it holds.
 */
class ClusterGuardTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    private static final String DATA = "/var/lib/postgresql/18/main";

    private static JournalState journal(JournalEvent... steps) {
        List<JournalEvent> all = new ArrayList<>(List.of(new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT,
                "e1", "sha256:x", new JournalEvent.Controller("c", "u", 1), null)));
        all.addAll(List.of(steps));
        return JournalState.of(all);
    }

    private static JournalEvent started(String dir) {
        return new JournalEvent.StepStarted(T, "prepare.initdb", dir == null ? Recorded.NOTHING
                : Recorded.NOTHING.withNewDirectory(dir));
    }

    private static JournalEvent finished(CreatedCluster made) {
        return new JournalEvent.StepFinished(T, "prepare.initdb", 1L, "ok", null, false, made);
    }

    private static FakeShell holding(String identity) {
        return new FakeShell().exists(DATA).on("sh", argv -> FakeShell.ok(identity));
    }

    @Test
    void theClusterInitdbMadeMayBeRemoved() {
        JournalState state = journal(started(DATA), finished(new CreatedCluster(DATA, 18, "7001")));
        assertThat(ClusterGuard.refusal(holding("PG_VERSION 18\nID 7001\n"), DATA, state, 18)).isNull();
    }

    @Test
    void anotherClusterInItsPlaceIsRefusedNamingTheDirectoryAndWhatItHolds() {
        JournalState state = journal(started(DATA), finished(new CreatedCluster(DATA, 18, "7001")));
        assertThat(ClusterGuard.refusal(holding("PG_VERSION 18\nID 9999\n"), DATA, state, 18)).isEqualTo(DATA
                + " does not hold the cluster pgmigrate made there (PostgreSQL 18, system identifier 7001): its system"
                + " identifier is 9999, not 7001; nothing there was deleted or stopped");
        assertThat(ClusterGuard.refusal(holding("PG_VERSION 15\nID 7001\n"), DATA, state, 18))
                .contains("its PG_VERSION says 15, not 18");
        assertThat(ClusterGuard.refusal(holding("PG_VERSION -\nID -\n"), DATA, state, 18))
                .contains("it has no PG_VERSION");
    }

    @Test
    void aDirectoryTheJournalRecordsNoClusterInIsRefused() {
        JournalState state = journal(started("/elsewhere"), finished(new CreatedCluster("/elsewhere", 18, "7001")));
        assertThat(ClusterGuard.refusal(holding("PG_VERSION 15\nID 42\n"), DATA, state, 18)).isEqualTo(DATA
                + " was not made by this execution of pgmigrate (its journal records no cluster made there); it holds"
                + " PostgreSQL 15, system identifier 42; nothing there was deleted or stopped");
        assertThat(ClusterGuard.refusal(holding(""), DATA, journal(started(null)), 18))
                .as("initdb began on a directory that was there already").contains("was not made by this execution");
    }

    @Test
    void whatAnInterruptedInitdbBegunOnAnAbsentDirectoryLeftMayBeRemovedUnlessItNamesAnotherVersion() {
        JournalState state = journal(started(DATA));
        assertThat(ClusterGuard.refusal(holding("PG_VERSION -\nID -\n"), DATA, state, 18)).isNull();
        assertThat(ClusterGuard.refusal(holding("PG_VERSION 18\nID -\n"), DATA, state, 18)).isNull();
        assertThat(ClusterGuard.refusal(holding("PG_VERSION 15\nID 42\n"), DATA, state, 18)).isEqualTo(DATA
                + " holds PostgreSQL 15, not the PostgreSQL 18 cluster pgmigrate began to make there; nothing there"
                + " was deleted or stopped");
    }

    @Test
    void theOldClusterIsDeletedOnlyWhileItIsTheClusterThePlanWasMadeFor() {
        String old = "/var/lib/postgresql/15/main";
        assertThat(ClusterGuard.refusalOfOld(holding("PG_VERSION 15\nID 42\n"), old, 15, "42")).isNull();
        assertThat(ClusterGuard.refusalOfOld(holding("PG_VERSION 15\nID 43\n"), old, 15, "42")).isEqualTo(old
                + " does not hold the old cluster the plan was made for (PostgreSQL 15, system identifier 42): its"
                + " system identifier is 43, not 42; nothing was deleted");
    }

    @Test
    void aResumedInitdbKeepsWhatItsInterruptedRunFoundAndAnotherStartRecordsOnlyAnAbsentOrEmptyDirectory() {
        io.pgmigrate.inventory.Inventory inv = io.pgmigrate.testing.Inventories.sample();
        io.pgmigrate.facts.ClusterFacts facts = io.pgmigrate.testing.Facts.healthy().build();
        io.pgmigrate.plan.Plan plan = io.pgmigrate.planner.Planner.plan(inv, facts, T);
        io.pgmigrate.plan.Step initdb = plan.steps().stream()
                .filter(st -> st.role() == io.pgmigrate.plan.StepRole.NEW_CLUSTER_CREATE).findFirst().orElseThrow();
        String data = ClusterGuard.madeBy(initdb);
        FakeShell nonEmpty = new FakeShell().exists(data).on("sh", argv -> FakeShell.fails(""));
        ExecutionContext ctx = new ExecutionContext(plan, inv, facts.source(),
                new io.pgmigrate.testing.fakes.FakeCluster(nonEmpty), null,
                new java.io.PrintWriter(new java.io.StringWriter()), "e1");

        assertThat(ClusterGuard.beforeCreate(ctx, initdb, Recorded.NOTHING, journal()).newDirectory())
                .as("a directory that holds something already").isNull();
        JournalState interrupted = journal(new JournalEvent.StepStarted(T, initdb.id(),
                Recorded.NOTHING.withNewDirectory(data)));
        assertThat(ClusterGuard.beforeCreate(ctx, initdb, Recorded.NOTHING, interrupted).newDirectory())
                .as("what is there is the interrupted run's").isEqualTo(data);
        FakeShell absent = new FakeShell().on("sh", argv -> FakeShell.ok(""));
        ExecutionContext fresh = new ExecutionContext(plan, inv, facts.source(),
                new io.pgmigrate.testing.fakes.FakeCluster(absent), null,
                new java.io.PrintWriter(new java.io.StringWriter()), "e1");
        assertThat(ClusterGuard.beforeCreate(fresh, initdb, Recorded.NOTHING, journal()).newDirectory())
                .isEqualTo(data);
    }

    @Test
    void theCreatedClusterOfAStepUndoneOrOfAnEarlierExecutionDoesNotCount() {
        JournalState undone = journal(started(DATA), finished(new CreatedCluster(DATA, 18, "7001")),
                new JournalEvent.StepUndone(T, "prepare.initdb"));
        assertThat(undone.createdCluster(DATA)).isNull();
        assertThat(undone.madeDirectory(DATA)).isFalse();
    }
}
