package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.UndoOutcome;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalEvent.CreatedCluster;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.testing.fakes.FakeCluster;
import io.pgmigrate.testing.fakes.FakeRunner;
import io.pgmigrate.testing.fakes.FakeShell;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The teardown of a blue/green execution before its switch removes green's data directory only while it holds the
 * cluster green's initdb made (journaled); an inventory edited to point green's data directory at another cluster is
 * refused, that cluster neither stopped nor deleted.
 */
class BlueGreenTeardownTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    @TempDir
    Path dir;
    private Plan plan;
    private Inventory inv;
    private ClusterFacts facts;
    private String greenData;

    @BeforeEach
    void setUp() {
        Inventory base = Inventories.logical();
        greenData = dir.resolve("18/main").toString();
        inv = withGreenData(base, greenData);
        facts = Facts.healthy().build();
        plan = Planner.plan(inv, facts, T);
    }

    private static Inventory withGreenData(Inventory base, String data) {
        Inventory.TargetCluster t = base.target();
        return new Inventory(base.name(), base.strategy(), base.source(), new Inventory.TargetCluster(t.version(),
                t.binDir(), Path.of(data), t.port(), t.host()), base.options(), base.cutover(), base.smokeQueries(),
                base.file());
    }

    private UndoOutcome teardown(Inventory inventory, FakeShell host) {
        ExecutionContext ctx = new ExecutionContext(plan, inventory, facts.source(), new FakeCluster(host),
                new FakeCluster(host), ExecutionFiles.beside(dir.resolve("orders-prod.plan.json"), plan.name()),
                new PrintWriter(new StringWriter(), true), "e1", Clock.systemUTC());
        return new BlueGreenTeardown(ctx, new FakeRunner()).run(greenMade());
    }

    /** Green's initdb ran and the cluster it made was journaled. */
    private JournalState greenMade() {
        Step initdb = plan.steps().stream().filter(s -> s.role() == StepRole.NEW_CLUSTER_CREATE).findFirst()
                .orElseThrow();
        return JournalState.of(List.of(
                new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT, "e1", plan.digest(),
                        new JournalEvent.Controller("c", "u", 1), null),
                new JournalEvent.StepStarted(T, initdb.id(), JournalEvent.Recorded.NOTHING.withNewDirectory(greenData)),
                new JournalEvent.StepFinished(T, initdb.id(), 1L, "ok", null, false,
                        new CreatedCluster(greenData, 18, "7001"))));
    }

    @Test
    void greensOwnClusterIsRemoved() {
        FakeShell host = new FakeShell().exists(greenData, greenData + "/PG_VERSION")
                .on("sh", argv -> FakeShell.ok("PG_VERSION 18\nID 7001\n"));
        UndoOutcome out = teardown(inv, host);
        assertThat(out.failed()).isEmpty();
        assertThat(out.done()).contains("removed green's data directory " + greenData);
        assertThat(host.has(greenData)).isFalse();
    }

    @Test
    void anotherClusterWhereTheEditedInventoryPointsIsNeitherStoppedNorRemoved() {
        String other = dir.resolve("other/main").toString();
        FakeShell host = new FakeShell().exists(other, other + "/PG_VERSION", other + "/postmaster.pid")
                .on("sh", argv -> FakeShell.ok("PG_VERSION 18\nID 4242\n"));
        UndoOutcome out = teardown(withGreenData(inv, other), host);
        assertThat(out.failed()).containsExactly("green was not stopped or removed: " + other + " was not made by"
                + " this execution of pgmigrate (its journal records no cluster made there); it holds PostgreSQL 18,"
                + " system identifier 4242; nothing there was deleted or stopped");
        assertThat(host.has(other + "/PG_VERSION")).isTrue();
        assertThat(host.ran()).noneMatch(argv -> argv.get(0).equals("rm") || argv.contains("stop"));
    }

    @Test
    void aSwappedClusterAtGreensPathIsNeitherStoppedNorRemoved() {
        FakeShell host = new FakeShell().exists(greenData, greenData + "/PG_VERSION")
                .on("sh", argv -> FakeShell.ok("PG_VERSION 18\nID 4242\n"));
        UndoOutcome out = teardown(inv, host);
        assertThat(out.failed()).singleElement().asString().contains(greenData + " does not hold the cluster"
                + " pgmigrate made there (PostgreSQL 18, system identifier 7001): its system identifier is 4242");
        assertThat(host.has(greenData + "/PG_VERSION")).isTrue();
    }
}
