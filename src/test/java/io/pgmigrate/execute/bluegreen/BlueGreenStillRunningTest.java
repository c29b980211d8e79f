package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.ExecutionResult;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.testing.fakes.FakeCluster;
import io.pgmigrate.testing.fakes.FakeRunner;
import io.pgmigrate.testing.fakes.FakeShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blue/green step that failed while its program still runs on green's host (the schema restore, its outcome
 * unreadable): green is not torn down under it, neither by the failure nor by pgmigrate rollback, until it has ended.
 */
class BlueGreenStillRunningTest {
    @TempDir
    Path dir;

    @Test
    void greenIsNotRemovedUnderAProgramThatStillRuns() {
        Inventory inv = Inventories.logical();
        ClusterFacts facts = Facts.healthy().build();
        Plan plan = Planner.plan(inv, facts, Instant.parse("2026-12-07T10:00:00Z"));
        boolean[] running = {true};
        FakeShell host = new FakeShell().on("sh", argv -> FakeShell.ok(running[0] ? "- RUNNING - 0 0\n"
                : "- FINISHED 0 0 0\n"));
        ExecutionContext ctx = new ExecutionContext(plan, inv, facts.source(), new FakeCluster(host),
                new FakeCluster(host), ExecutionFiles.beside(dir.resolve("orders-prod.plan.json"), plan.name()),
                new PrintWriter(new StringWriter(), true), "e1", Clock.systemUTC());
        FakeRunner runner = new FakeRunner().failing("schema.restore.shop", "its outcome cannot be read from"
                + " fake-host (no answer); the program may still run there");
        try (Journal journal = Journal.open(dir.resolve("orders-prod.journal.jsonl"))) {
            ExecutionResult r = new BlueGreenExecution(ctx, journal, runner).run(null);
            assertThat(r.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(r.summary()).contains("Nothing was rolled back", "step schema.restore.shop is still running");
            assertThat(runner.ran()).noneMatch(id -> id.startsWith("rollback") || id.endsWith(".undo"));
            assertThat(host.ran()).noneMatch(a -> a.contains("rm") && a.contains("18/main"));

            assertThat(new BlueGreenExecution(ctx, journal, runner).rollback().summary())
                    .contains("cannot roll back yet: step schema.restore.shop is still running", "Nothing was changed");

            running[0] = false;
            ExecutionResult back = new BlueGreenExecution(ctx, journal, runner).rollback();
            assertThat(back.summary()).as(back.summary()).contains("rolled back");
        }
    }
}
