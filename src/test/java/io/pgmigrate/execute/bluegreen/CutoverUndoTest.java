package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.CompletionProbe;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.StepAttempt;
import io.pgmigrate.execute.UndoOutcome;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.PhaseKind;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.testing.fakes.FakeCluster;
import io.pgmigrate.testing.fakes.FakeRunner;
import io.pgmigrate.testing.fakes.FakeShell;
import io.pgmigrate.transport.DetachedCommand;
import io.pgmigrate.transport.OutputListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Abandoning a blue/green cutover that stopped before its switch, with a fake runner: the order that keeps clients away
 * from the wrong side, nothing enabled while the reverse direction may remain, the steps journaled as undone only
 * when the undo is complete, and the switch's run on this machine forgotten with them.
 */
class CutoverUndoTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    @TempDir
    Path dir;
    private FakeRunner runner;
    private Plan plan;
    private ExecutionContext ctx;

    @BeforeEach
    void setUp() {
        Inventory base = Inventories.logical();
        // green's data directory here: the state of the steps' programs on the host lies beside it
        Inventory.TargetCluster t = base.target();
        Inventory.TargetCluster target = new Inventory.TargetCluster(t.version(), t.binDir(), dir.resolve("18/main"),
                t.port(), t.host());
        Inventory inv = new Inventory(base.name(), base.strategy(), base.source(), target, base.options(),
                new Inventory.Cutover(new Inventory.Pgbouncer("127.0.0.1", 6432, "pgbouncer"),
                        List.of("/usr/local/bin/point-clients")), base.smokeQueries(), base.file());
        Facts facts = Facts.healthy();
        ClusterFacts built = facts.build();
        plan = Planner.plan(inv, built, T);
        FakeShell host = new FakeShell();
        ctx = new ExecutionContext(plan, inv, built.source(), new FakeCluster(host), new FakeCluster(host),
                ExecutionFiles.beside(dir.resolve("orders-prod.plan.json"), plan.name()),
                new PrintWriter(new StringWriter(), true), "e1", Clock.systemUTC());
        runner = new FakeRunner();
    }

    private UndoOutcome undo(Journal journal) {
        StepAttempt attempt = new StepAttempt(ctx, journal, runner, new CompletionProbe(ctx));
        return new CutoverUndo(ctx, runner, attempt).undo(plan.phase(PhaseKind.CUTOVER).orElseThrow(),
                plan.phase(PhaseKind.ROLLBACK).orElseThrow(), journal.state());
    }

    /** The cutover ran up to (and not past) the step given: each before it finished, that one begun. */
    private void ranUpTo(Journal journal, String last) {
        journal.append(new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT, "e1", plan.digest(),
                new JournalEvent.Controller("c", "u", 1), null));
        for (Step s : plan.phase(PhaseKind.CUTOVER).orElseThrow().steps()) {
            journal.append(new JournalEvent.StepStarted(T, s.id(), JournalEvent.Recorded.NOTHING));
            if (s.id().equals(last)) {
                return;
            }
            journal.append(new JournalEvent.StepFinished(T, s.id(), 1L, "ok", null, false));
        }
    }

    @Test
    void clientsAreResumedFirstThenTheReverseDirectionDroppedThenTheForwardEnabled() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            ranUpTo(journal, "cutover.reverse-subscription.shop");
            Phase cutover = plan.phase(PhaseKind.CUTOVER).orElseThrow();
            assertThat(CutoverUndo.open(cutover, journal.state())).isTrue();

            UndoOutcome out = undo(journal);

            assertThat(out.failed()).isEmpty();
            assertThat(runner.ran()).containsExactly("cutover.fence.undo", "cutover.freeze.undo",
                    "cutover.reverse-subscription.shop.undo", "cutover.reverse-publication.shop.undo",
                    "cutover.reverse-subscription.postgres.undo", "cutover.reverse-publication.postgres.undo",
                    "cutover.stop-forward.shop.undo", "cutover.stop-forward.postgres.undo");
            assertThat(CutoverUndo.open(cutover, journal.state())).as("every begun step counts as never run").isFalse();
            assertThat(journal.state().began()).noneMatch(id -> id.startsWith("cutover."));
        }
    }

    @Test
    void aSwitchThatBeganIsPointedBackBeforeClientsAreResumed() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            ranUpTo(journal, "cutover.switch-clients");
            UndoOutcome out = undo(journal);
            assertThat(out.failed()).isEmpty();
            // pointed back first; then, before blue's logins are given back and clients resumed, every write clients
            // may have made on green is brought back to blue by the reverse subscriptions
            assertThat(runner.ran().subList(0, 7)).containsExactly("cutover.switch-clients.undo",
                    "cutover.reverse-subscription.postgres.undo-position", "cutover.reverse-subscription.postgres.undo",
                    "cutover.reverse-subscription.shop.undo-position", "cutover.reverse-subscription.shop.undo",
                    "cutover.fence.undo", "cutover.freeze.undo");
        }
    }

    @Test
    void whenWritesAfterTheSwitchCannotBeBroughtBackClientsStayPausedAndTheCutoverStaysOpen() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            ranUpTo(journal, "cutover.switch-clients");
            runner.failing("cutover.reverse-subscription.shop.undo", "not caught up within 120 s");
            UndoOutcome out = undo(journal);
            assertThat(out.failed()).anySatisfy(f -> assertThat(f).contains("not caught up"))
                    .anySatisfy(f -> assertThat(f).contains("give logins back and resume clients (not done"));
            assertThat(runner.ran()).doesNotContain("cutover.fence.undo", "cutover.freeze.undo");
            assertThat(CutoverUndo.open(plan.phase(PhaseKind.CUTOVER).orElseThrow(), journal.state())).isTrue();
        }
    }

    /**
     * A killed run's switch command ran (or began) on this machine before the cutover was abandoned: its run there is
     * forgotten with the undo, so that the next attempt of the cutover switches clients again instead of attaching to
     * it (and leaving them on blue, which the undo pointed them back to).
     */
    @Test
    void theRunOfASwitchThatBeganIsForgottenSoThatTheNextAttemptSwitchesAgain() {
        DetachedCommand sw = ctx.detached("cutover.switch-clients", HostRole.CONTROLLER);
        sw.start(List.of("true"), dir.toString());
        assertThat(sw.await(Duration.ofSeconds(30), OutputListener.NONE)).isEqualTo(DetachedCommand.Status.finished(0));
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            ranUpTo(journal, "cutover.switch-clients");

            UndoOutcome out = undo(journal);

            assertThat(out.failed()).isEmpty();
            assertThat(sw.status()).as("the next attempt starts the switch afresh")
                    .isEqualTo(DetachedCommand.Status.NOT_STARTED);
            assertThat(journal.state().began()).noneMatch(id -> id.startsWith("cutover."));
        }
    }

    /**
     * The switch command runs on this machine: in its state directory beside the plan, not in the work directory,
     * which is a path on green's host (on this machine it may not exist, or be another user's).
     */
    @Test
    void theSwitchCommandRunsBesideThePlanNotInGreensWorkDirectory() {
        String workDir = ctx.commands().workDir();
        assertThat(ctx.workDir(HostRole.CONTROLLER)).isEqualTo(ctx.stepStateDir(HostRole.CONTROLLER))
                .startsWith(dir.toString()).doesNotStartWith(workDir);
        assertThat(ctx.workDir(HostRole.TARGET)).isEqualTo(workDir);
        assertThat(ctx.workDir(HostRole.SOURCE)).isEqualTo(workDir);
    }

    @Test
    void aSwitchStillRunningFromTheKilledRunIsWaitedForBeforeClientsArePointedBack() {
        DetachedCommand sw = ctx.detached("cutover.switch-clients", HostRole.CONTROLLER);
        sw.start(List.of("sh", "-c", "sleep 2; echo switched"), dir.toString());
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            ranUpTo(journal, "cutover.switch-clients");
            long start = System.nanoTime();

            UndoOutcome out = undo(journal);

            assertThat(out.failed()).isEmpty();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).as("it waited for the switch")
                    .isGreaterThanOrEqualTo(java.time.Duration.ofMillis(1500));
            assertThat(runner.ran().get(0)).isEqualTo("cutover.switch-clients.undo");
            assertThat(sw.status().state()).as("forgotten: the next attempt switches afresh")
                    .isEqualTo(DetachedCommand.State.NOT_STARTED);
            assertThat(CutoverUndo.open(plan.phase(PhaseKind.CUTOVER).orElseThrow(), journal.state())).isFalse();
        } finally {
            sw.stop();
        }
    }

    @Test
    void whileTheReverseDirectionMayRemainTheForwardIsNotEnabledAndTheCutoverStaysOpen() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            ranUpTo(journal, "cutover.reverse-subscription.shop");
            runner.failing("cutover.reverse-subscription.shop.undo", "green does not answer");

            UndoOutcome out = undo(journal);

            assertThat(out.failed()).anySatisfy(f -> assertThat(f).contains("green does not answer"))
                    .anySatisfy(f -> assertThat(f).contains("not done while the undo above is not complete"));
            assertThat(runner.ran()).doesNotContain("cutover.stop-forward.shop.undo", "cutover.stop-forward.postgres.undo");
            assertThat(CutoverUndo.open(plan.phase(PhaseKind.CUTOVER).orElseThrow(), journal.state()))
                    .as("the next run undoes it again").isTrue();
            assertThat(journal.read()).noneMatch(e -> e instanceof JournalEvent.StepUndone);
        }
    }

    @Test
    void theUndoStepsAreTheTypedOppositesOfThePlansOwn() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            ranUpTo(journal, "cutover.reverse-subscription.shop");
            java.util.List<Action> actions = new java.util.ArrayList<>();
            StepAttempt attempt = new StepAttempt(ctx, journal, step -> {
                actions.add(step.action());
                return io.pgmigrate.execute.StepRunner.Outcome.note("ok");
            }, new CompletionProbe(ctx));
            new CutoverUndo(ctx, step -> {
                actions.add(step.action());
                return io.pgmigrate.execute.StepRunner.Outcome.note("ok");
            }, attempt).undo(plan.phase(PhaseKind.CUTOVER).orElseThrow(), plan.phase(PhaseKind.ROLLBACK).orElseThrow(),
                    journal.state());
            assertThat(actions).contains(new Action.Pgbouncer(Action.Pgbouncer.Command.RESUME),
                    new Action.DropSubscription(Action.Endpoint.SOURCE, "shop", "pgmigrate_rev_shop"),
                    new Action.DropPublication(Action.Endpoint.TARGET, "shop", "pgmigrate_rev_shop"),
                    new Action.AlterSubscription(Action.Endpoint.TARGET, "shop", "pgmigrate_shop", true));
        }
    }
}
