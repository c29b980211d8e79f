package io.pgmigrate.execute;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.OnTimeout;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.testing.fakes.FakeCluster;
import io.pgmigrate.testing.fakes.FakeShell;
import io.pgmigrate.testing.fakes.TickingClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The standbys' checks and waits (issue #15) against a fake primary host, a fake standby and a ticking clock. */
class StandbyWaitsTest {
    private static final Action.DataDirectory PRIMARY = new Action.DataDirectory("/var/lib/postgresql/15/main",
            "/usr/lib/postgresql/15/bin");
    private static final Action.DataDirectory STANDBY = new Action.DataDirectory("/var/lib/postgresql/15/main",
            "/usr/lib/postgresql/15/bin");

    @TempDir
    Path dir;
    private FakeShell primaryHost;
    private FakeShell standbyHost;
    private String replay;
    private StandbyWaits waits;

    @BeforeEach
    void setUp() {
        primaryHost = new FakeShell();
        primaryHost.on("env", argv -> FakeShell.ok("Database system identifier: 7300000000000000001\nDatabase cluster state: shut down\n"
                + "Latest checkpoint location: 0/3000028\n"));
        standbyHost = new FakeShell();
        replay = "0/3000000";
        FakeCluster standby = new FakeCluster(standbyHost).answering(sql -> List.of(Map.of("lsn", replay)));
        Inventory inv = Inventories.withStandbys(UpgradeMode.LINK, "db1b");
        ClusterFacts facts = Facts.healthy().build();
        Plan plan = Planner.plan(inv, facts, Instant.parse("2026-12-01T00:00:00Z"));
        ExecutionContext ctx = new ExecutionContext(plan, inv, facts.source(), new FakeCluster(primaryHost), null,
                ExecutionFiles.beside(dir.resolve("orders-prod.plan.json"), plan.name()),
                new PrintWriter(new StringWriter(), true), "e1",
                new TickingClock(Instant.parse("2026-12-07T10:00:00Z"), Duration.ofSeconds(20)),
                name -> standby);
        waits = new StandbyWaits(ctx);
    }

    private static Step step(Action action) {
        return new Step("outage.standby-x.db1b", "t", "why", HostRole.STANDBY, StepRole.NONE, action,
                new Completion.RunAgain(), Duration.ofSeconds(1), Duration.ofSeconds(60), OnTimeout.STOP, true, null,
                true, Marker.NONE, "db1b");
    }

    @Test
    void aStandbyPastTheShutdownCheckpointHasReplayedIt() {
        replay = "0/30000A0";
        assertThat(waits.replayed(step(new Action.StandbyReplayed(PRIMARY)), new Action.StandbyReplayed(PRIMARY)))
                .contains("db1b replayed up to 0/30000A0", "past the primary's shutdown checkpoint at 0/3000028");
    }

    @Test
    void aStandbyThatStaysBehindFailsAtTheTimeoutNamingItAndWhereItIs() {
        assertThatThrownBy(() -> waits.replayed(step(new Action.StandbyReplayed(PRIMARY)),
                new Action.StandbyReplayed(PRIMARY)))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("standby db1b has not replayed the primary's shutdown checkpoint at 0/3000028"
                        + " within 60 s (it has replayed up to 0/3000000)")
                .hasMessageContaining("Nothing of it was changed");
    }

    @Test
    void aPrimaryThatIsNotShutDownIsNoCheckpointToWaitFor() {
        primaryHost.on("env", argv -> FakeShell.ok("Database system identifier: 7300000000000000001\nDatabase cluster state: in production\n"
                + "Latest checkpoint location: 0/3000028\n"));
        assertThatThrownBy(() -> waits.replayed(step(new Action.StandbyReplayed(PRIMARY)),
                new Action.StandbyReplayed(PRIMARY))).hasMessageContaining("the primary's state is 'in production'");
    }

    @Test
    void theStoppedStandbyMustBeAtThePrimarysShutdownCheckpoint() {
        Action.StandbyCheckpoint check = new Action.StandbyCheckpoint(PRIMARY, STANDBY);
        standbyHost.on("env", argv -> FakeShell.ok("Database system identifier: 7300000000000000001\nDatabase cluster state: shut down in recovery\n"
                + "Latest checkpoint location: 0/3000028\n"));
        assertThat(waits.checkpoint(step(check), check)).contains("at the primary's shutdown checkpoint 0/3000028");

        standbyHost.on("env", argv -> FakeShell.ok("Database system identifier: 7300000000000000001\nDatabase cluster state: shut down in recovery\n"
                + "Latest checkpoint location: 0/2000060\n"));
        assertThatThrownBy(() -> waits.checkpoint(step(check), check)).hasMessageContaining("standby db1b stopped at"
                + " checkpoint 0/2000060, the primary's shutdown checkpoint is at 0/3000028");

        standbyHost.on("env", argv -> FakeShell.ok("Database system identifier: 7300000000000000001\nDatabase cluster state: in archive recovery\n"
                + "Latest checkpoint location: 0/3000028\n"));
        assertThatThrownBy(() -> waits.checkpoint(step(check), check))
                .hasMessageContaining("'in archive recovery', not 'shut down in recovery'");
    }
}
