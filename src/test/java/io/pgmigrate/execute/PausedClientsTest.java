package io.pgmigrate.execute;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalEvent.Failure;
import io.pgmigrate.journal.JournalEvent.Recorded;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.testing.fakes.FakeCluster;
import io.pgmigrate.testing.fakes.FakeShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients paused in pgbouncer: resumed after a failure, and whether a failure resumed them before the outage ended. */
class PausedClientsTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    private static Inventory behindPgbouncer() {
        Inventory inv = Inventories.withMode(UpgradeMode.LINK);
        return new Inventory(inv.name(), inv.strategy(), inv.source(), inv.target(), inv.options(),
                new Inventory.Cutover(new Inventory.Pgbouncer("127.0.0.1", 6432, "pgbouncer"), null),
                inv.smokeQueries(), inv.file());
    }

    private static final ClusterFacts FACTS = Facts.healthy().build();

    private static List<Step> steps(Inventory inv) {
        return Planner.plan(inv, FACTS, T).steps();
    }

    private static JournalState journal(JournalEvent... events) {
        List<JournalEvent> all = new ArrayList<>(List.of(new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT,
                "e1", "sha256:x", new JournalEvent.Controller("h", "u", 1), null)));
        all.addAll(List.of(events));
        return JournalState.of(all);
    }

    private static JournalEvent started(String step) {
        return new JournalEvent.StepStarted(T, step, Recorded.NOTHING);
    }

    private static JournalEvent finished(String step) {
        return new JournalEvent.StepFinished(T, step, 1L, "ok", null, false);
    }

    private static JournalEvent failed(String step, Failure kind) {
        return new JournalEvent.StepFailed(T, step, 1L, "why", kind);
    }

    @Test
    void aFailureWhileClientsArePausedResumedThemBeforeTheOutageEnded() {
        List<Step> steps = steps(behindPgbouncer());
        assertThat(PausedClients.resumedBy(steps, journal(started("outage.pause-clients"),
                finished("outage.pause-clients"), started("outage.start-new"), failed("outage.start-new", Failure.STEP),
                started("outage.start-new"), finished("outage.start-new"))))
                .isEqualTo("outage.start-new");
    }

    @Test
    void noFailureBetweenPauseAndResumeOrOneThatResumedNothingIsNone() {
        List<Step> steps = steps(behindPgbouncer());
        assertThat(PausedClients.resumedBy(steps, journal(started("outage.pause-clients"),
                finished("outage.pause-clients"), started("post.resume-clients"), finished("post.resume-clients"),
                started("post.verify"), failed("post.verify", Failure.VERIFICATION)))).as("after RESUME").isNull();
        assertThat(PausedClients.resumedBy(steps, journal(started("outage.pause-clients"),
                finished("outage.pause-clients"), started("outage.pg-upgrade"),
                failed("outage.pg-upgrade", Failure.UNKNOWN_EFFECT)))).as("effect unknown: nothing resumed").isNull();
        assertThat(PausedClients.resumedBy(steps, journal(started("prepare.initdb"),
                failed("prepare.initdb", Failure.STEP)))).as("before PAUSE").isNull();
        assertThat(PausedClients.resumedBy(steps(Inventories.withMode(UpgradeMode.LINK)), journal(
                started("outage.start-new"), failed("outage.start-new", Failure.STEP)))).as("no pgbouncer").isNull();
    }

    /** After clients were resumed once, RESUME again finds pgbouncer not paused: that is what RESUME is for. */
    @Test
    void resumingClientsThatWorkAlreadySucceeds() {
        Inventory inv = behindPgbouncer();
        Plan plan = Planner.plan(inv, FACTS, T);
        JournalState state = journal(started("outage.pause-clients"), finished("outage.pause-clients"),
                started("outage.start-new"), failed("outage.start-new", Failure.STEP));

        StringWriter console = new StringWriter();
        FakeShell host = new FakeShell().on("psql", argv -> FakeShell.fails("ERROR:  pooler is not paused/suspended"));
        ExecutionContext ctx = new ExecutionContext(plan, inv, FACTS.source(), new FakeCluster(host),
                ExecutionFiles.beside(dir.resolve("p.plan.json"), plan.name()), new PrintWriter(console, true), "e1");
        ActionRunner runner = new ActionRunner(ctx, StrategyActions.NONE, (s, d) -> { });
        assertThat(PausedClients.resume(ctx, runner, state)).isEqualTo(" (resumed in pgbouncer)");
        assertThat(console.toString()).contains("pgbouncer: RESUME").doesNotContain("failed");

        host.on("psql", argv -> FakeShell.fails("psql: error: connection to server at \"127.0.0.1\", port 6432"
                + " failed: Connection refused"));
        assertThat(PausedClients.resume(ctx, runner, state)).contains("pgbouncer RESUME failed", "Connection refused",
                "run RESUME in its admin console");
    }
}
