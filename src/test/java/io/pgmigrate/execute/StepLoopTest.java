package io.pgmigrate.execute;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.testing.Steps;
import io.pgmigrate.testing.fakes.FakeCluster;
import io.pgmigrate.testing.fakes.FakeRunner;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one step loop, with a fake runner and a recording policy: what it skips, asks, runs, journals and hands on. */
class StepLoopTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    @TempDir
    Path dir;
    private FakeRunner runner;
    private ExecutionContext ctx;
    private final List<String> policyCalls = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Plan plan = Planner.plan(Inventories.sample(), Facts.healthy().build(), T);
        runner = new FakeRunner();
        ctx = new ExecutionContext(plan, Inventories.sample(), Facts.healthy().build().source(),
                new FakeCluster(new FakeShell()), null, ExecutionFiles.beside(dir.resolve("x.plan.json"), "x"),
                new PrintWriter(new StringWriter(), true), "e1", new TickingClock(T, Duration.ofMillis(10)));
    }

    private final class Recording implements StepLoop.Policy {
        @Override
        public JournalEvent.Recorded record(Step step) {
            return new JournalEvent.Recorded(null, 42L, null);
        }

        @Override
        public void done(Step step, JournalState state) {
            policyCalls.add("done " + step.id());
        }

        @Override
        public ExecutionResult precondition(Step step, JournalState state) {
            return step.id().equals("refused") ? ExecutionResult.of(ExitCode.STEP_FAILED, "no room") : null;
        }

        @Override
        public ExecutionResult failed(Step step, StepAttempt.Failed failure) {
            policyCalls.add("failed " + step.id() + " " + failure.failure());
            return ExecutionResult.of(failure.verification() ? ExitCode.VERIFICATION_FAILED : ExitCode.STEP_FAILED,
                    failure.getMessage());
        }

        @Override
        public ExecutionResult unknown(Step step, String reason) {
            policyCalls.add("unknown " + step.id());
            return ExecutionResult.of(ExitCode.STEP_FAILED, reason);
        }

        @Override
        public ExecutionResult journalFailed(Step step, Journal.WriteFailed failure) {
            return ExecutionResult.of(ExitCode.STEP_FAILED, failure.getMessage());
        }
    }

    private StepLoop loop(Journal journal) {
        return new StepLoop(ctx, journal, new StepAttempt(ctx, journal, runner, new CompletionProbe(ctx)));
    }

    private static Step step(String id, boolean retrySafe) {
        return Steps.adHoc(id, new Action.RunSql(Action.Endpoint.SOURCE, "postgres", "SELECT 1"), retrySafe, false);
    }

    @Test
    void finishedStepsAreSkippedTheRestRunJournaledWithWhatThePolicyRecorded() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            journal.append(new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT, "e1", "d", null, null));
            journal.append(new JournalEvent.StepStarted(T, "a", JournalEvent.Recorded.NOTHING));
            journal.append(new JournalEvent.StepFinished(T, "a", 1L, "ok", null, false));
            ExecutionResult r = loop(journal).run(List.of(step("a", false), step("b", false)), new Recording());
            assertThat(r).isNull();
            assertThat(runner.ran()).containsExactly("b");
            assertThat(policyCalls).containsExactly("done a", "done b");
            assertThat(journal.state().recorded("b").hostEpochSecond()).isEqualTo(42L);
            assertThat(journal.state().isFinished("b")).isTrue();
        }
    }

    @Test
    void anInterruptedStepThatIsNotRetrySafeAndCannotBeToldStopsWithoutRunningIt() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            journal.append(new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT, "e1", "d", null, null));
            journal.append(new JournalEvent.StepStarted(T, "a", JournalEvent.Recorded.NOTHING));
            ExecutionResult r = loop(journal).run(List.of(step("a", false), step("b", true)), new Recording());
            assertThat(r.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(runner.ran()).isEmpty();
            assertThat(policyCalls).containsExactly("unknown a");
            assertThat(journal.read()).filteredOn(e -> e instanceof JournalEvent.StepFailed)
                    .singleElement().satisfies(e -> {
                        assertThat(e.step()).isEqualTo("a");
                        assertThat(((JournalEvent.StepFailed) e).failure()).isEqualTo(JournalEvent.Failure.UNKNOWN_EFFECT);
                    });
        }
    }

    @Test
    void anInterruptedRetrySafeStepRunsAgain() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            journal.append(new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT, "e1", "d", null, null));
            journal.append(new JournalEvent.StepStarted(T, "a", JournalEvent.Recorded.NOTHING));
            assertThat(loop(journal).run(List.of(step("a", true)), new Recording())).isNull();
            assertThat(runner.ran()).containsExactly("a");
        }
    }

    @Test
    void aRetrySafeStepIsTriedThreeTimesAndThenThePolicyDecides() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            journal.append(new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT, "e1", "d", null, null));
            runner.failing("a", "boom");
            ExecutionResult r = loop(journal).run(List.of(step("a", true), step("b", true)), new Recording());
            assertThat(r.summary()).contains("a: boom");
            assertThat(runner.ran()).containsExactly("a", "a", "a");
            assertThat(policyCalls).containsExactly("failed a STEP");
            assertThat(journal.state().lastFailed()).isEqualTo("a");
        }
    }

    @Test
    void aPreconditionStopsBeforeTheStepWithNothingJournaled() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            ExecutionResult r = loop(journal).run(List.of(step("refused", true)), new Recording());
            assertThat(r.summary()).isEqualTo("no room");
            assertThat(runner.ran()).isEmpty();
            assertThat(journal.read()).isEmpty();
        }
    }

    @Test
    void aFailedComparisonIsNeverRetriedAndIsTypedInTheJournal() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            journal.append(new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT, "e1", "d", null, null));
            Step verify = step("v", true);
            List<String> seen = new ArrayList<>();
            StepRunner differs = s -> {
                seen.add(s.id());
                throw new VerifyStep.VerificationFailed("v: rows differ", true);
            };
            ExecutionResult r = new StepLoop(ctx, journal, new StepAttempt(ctx, journal, differs,
                    new CompletionProbe(ctx))).run(List.of(verify), new Recording());
            assertThat(r.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED);
            assertThat(seen).containsExactly("v");
            assertThat(journal.state().failedAtFrozenPoint("v")).isTrue();
        }
    }

    @Test
    void aFailureRetryingCannotEndIsTriedOnce() {
        try (Journal journal = Journal.open(dir.resolve("j.jsonl"))) {
            journal.append(new JournalEvent.ExecutionStarted(T, JournalEvent.FORMAT, "e1", "d", null, null));
            List<String> seen = new ArrayList<>();
            StepRunner refused = s -> {
                seen.add(s.id());
                throw new StepFailure.Persistent("copy: green refuses a row");
            };
            ExecutionResult r = new StepLoop(ctx, journal, new StepAttempt(ctx, journal, refused,
                    new CompletionProbe(ctx))).run(List.of(step("copy", true)), new Recording());
            assertThat(r.summary()).contains("green refuses a row");
            assertThat(seen).containsExactly("copy");
            assertThat(journal.state().lastFailed()).isEqualTo("copy");
        }
    }
}
