package io.pgmigrate.execute;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.testing.KillMatrixDoc;
import io.pgmigrate.testing.KillOutcome;
import io.pgmigrate.testing.KilledRun;
import io.pgmigrate.testing.KilledRun.Point;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestPgbouncer;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill matrix of issue #11 for the in-place upgrade, 15 → 18 over SSH with clients paused in pgbouncer, for
 * --swap and --link: one execution per mode, SIGKILLed again and again — just after every step's finished event, and
 * inside every step that is not retry-safe or runs long (just after its started event, and while its program runs
 * or while it measures) — each time run again by `pgmigrate execute` in a process of its own, until the last run
 * completes. What every next run did with the step the kill interrupted is read from its console and the journal's
 * typed events and must match docs/kill-matrix.md (the test writes what it saw to target/kill-matrix.md). At the end
 * the new cluster serves PostgreSQL 18 with the data as before, pg_upgrade performed its upgrade once, and nothing was
 * rolled back. The kills land exactly where they are meant to ({@link KilledRun} holds pgmigrate in the debugger at
 * the point before killing it).
 */
class KillMatrixIT {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);
    /** Programs allowed to run longer than this run detached even when they are retry-safe (ActionRunner). */
    private static final Duration LONG_STEP = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    /** One kill: the step, the exact point, and how the matrix names it. */
    private record Kill(Step step, Point point, String where) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"swap", "link"})
    void killedAtEveryStepBoundaryAndInsideEveryLongStepItCompletesOnce(String mode) throws Exception {
        try (PgCluster pg = PgCluster.start(15); TestPgbouncer bouncer = TestPgbouncer.inFrontOf(pg)) {
            try {
                matrix(pg, bouncer, mode);
            } finally {
                pg.stopUpgraded();
            }
        }
    }

    private void matrix(PgCluster pg, TestPgbouncer bouncer, String mode) throws Exception {
        long began = System.nanoTime();
        ExecuteIT.seed(pg);
        String before = ExecuteIT.dump(pg, "shop");
        long paid = ExecuteIT.viewRows(pg);
        String name = "kill-" + mode;
        Path inventory = TestInventory.write(dir, name, pg, TestInventory.sshHost(TestSshd.shared()), mode,
                PgCluster.freePort());
        Files.writeString(inventory, Files.readString(inventory) + bouncer.inventoryYaml());
        // planned by pgmigrate in a process of its own, which leaves the classes it loaded for the runs to come
        Path archive = dir.resolve("pgmigrate.jsa");
        KilledRun.Result planned = KilledRun.archiving(List.of("plan", "--no-rehearsal", "-i",
                inventory.toString(), "-o", dir.toString()), archive, RUN_LIMIT);
        assertThat(planned.exitCode()).as(planned.console()).isZero();
        Path planFile = dir.resolve(name + ".plan.json");
        Path journal = dir.resolve(name + ".journal.jsonl");
        Path workDir = pg.root().resolve("pgmigrate-" + name);
        Plan plan = PlanJson.readVerified(planFile);
        List<String> args = List.of("execute", "-i", inventory.toString(), planFile.toString());

        List<Kill> kills = new ArrayList<>();
        plan.phases().stream().filter(p -> !p.kind().onRequestOnly()).flatMap(p -> p.steps().stream())
                .forEach(s -> kills.addAll(kills(s, workDir)));

        List<String> rows = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i <= kills.size(); i++) {
            Kill kill = i < kills.size() ? kills.get(i) : null;
            KillOutcome.awaitLockFree(workDir);
            int seen = Journal.read(journal).size();
            long start = System.nanoTime();
            KilledRun.Result run = KilledRun.run(args, kill == null ? null : resolved(kill.point(), journal),
                    RUN_LIMIT, archive);
            seconds.add((System.nanoTime() - start) / 1_000_000_000L);
            if (kill == null) {
                assertThat(run.exitCode()).as(run.console()).isZero();
                assertThat(run.console()).contains("executed: the new cluster serves on port " + pg.port());
            }
            if (i > 0) {
                Kill previous = kills.get(i - 1);
                List<JournalEvent> events = Journal.read(journal);
                rows.add(row(i, previous, run.console(), events.subList(seen, events.size()), broken));
            }
        }

        assertThat(ExecuteIT.serverMajor(pg)).as("the new cluster serves").isEqualTo(18);
        assertThat(ExecuteIT.dump(pg, "shop")).as("the data").isEqualTo(before);
        assertThat(ExecuteIT.viewRows(pg)).isEqualTo(paid);
        String execution = Journal.state(journal).execution();
        String upgradeOutput = Files.readString(workDir.resolve("steps/" + execution + "/outage.pg-upgrade.out"));
        assertThat(upgradeOutput.split("Performing Upgrade", -1)).as("pg_upgrade performed its upgrade once")
                .hasSize(2);
        List<JournalEvent> all = Journal.read(journal);
        assertThat(all).as("nothing was rolled back").noneMatch(e -> e instanceof JournalEvent.RollbackStarted);
        assertThat(all).as("one execution").filteredOn(e -> e instanceof JournalEvent.ExecutionStarted)
                .extracting(e -> ((JournalEvent.ExecutionStarted) e).execution()).containsOnly(execution);
        assertThat(all).filteredOn(e -> e instanceof JournalEvent.ExecutionStarted).hasSize(kills.size() + 1);

        String table = "| # | step | killed | what the next run did | also |\n|---|---|---|---|---|\n"
                + String.join("", rows);
        System.out.printf(Locale.ROOT, "kill matrix %s: %d kills, %d s in all; seconds per run %s%n", mode,
                kills.size(), (System.nanoTime() - began) / 1_000_000_000L, seconds);
        KillMatrixDoc.observe("in-place-" + mode, table);
        assertThat(broken).as("outcomes against the rules (table in " + KillMatrixDoc.OBSERVED + ")").isEmpty();
        KillMatrixDoc.check("in-place-" + mode, table);
    }

    /**
     * The kills of one step, in the order they come: inside it when it is not retry-safe or runs long (just after its
     * started event; while its program runs on the host; while it measures), then just after it finished.
     */
    private static List<Kill> kills(Step s, Path workDir) {
        List<Kill> out = new ArrayList<>();
        Action a = s.action();
        boolean detached = a instanceof Action.RunCommand && (!s.retrySafe() || s.timeout().compareTo(LONG_STEP) > 0)
                || a instanceof Action.AnalyzeMissing;
        if (!s.retrySafe()) {
            out.add(new Kill(s, Point.started(s.id()), "just after it started"));
        }
        if (detached && s.role() == StepRole.PG_UPGRADE) {
            out.add(new Kill(s, Point.at(s.id(), "io.pgmigrate.transport.DetachedCommand", "await")
                    .once(workDir.resolve("steps/EXECUTION/" + s.id() + ".out"), "Performing Upgrade"),
                    "while pg_upgrade performs the upgrade"));
        } else if (detached) {
            out.add(new Kill(s, Point.at(s.id(), "io.pgmigrate.transport.DetachedCommand", "await"),
                    "while its program runs"));
        }
        if (a instanceof Action.Verify v && v.stage() != Action.Verify.Stage.SNAPSHOT) {
            out.add(v.scope() == Action.Verify.Scope.DATA
                    ? new Kill(s, Point.at(s.id(), "io.pgmigrate.verify.RowCounter", "count"), "while it counts rows")
                    : new Kill(s, Point.at(s.id(), "io.pgmigrate.verify.SchemaInventory", "capture"),
                    "while it reads the schema"));
        }
        out.add(new Kill(s, Point.finished(s.id()), "just after it finished"));
        return out;
    }

    /** The execution's state directory is known once the first run began it. */
    private static Point resolved(Point p, Path journal) {
        if (p.waitFile() == null || !p.waitFile().toString().contains("EXECUTION")) {
            return p;
        }
        return p.once(Path.of(p.waitFile().toString().replace("EXECUTION", Journal.state(journal).execution())),
                p.waitFor());
    }

    /** One row of the matrix: the kill, what the next run did with the step it interrupted, and what else it did. */
    private static String row(int n, Kill kill, String console, List<JournalEvent> events, List<String> broken) {
        String outcome = KillOutcome.of(kill.step(), console, events);
        List<String> also = new ArrayList<>();
        events.stream().filter(e -> e instanceof JournalEvent.PointOfNoReturnCrossed).findFirst()
                .ifPresent(e -> also.add("journaled the point of no return (" + e.step() + ")"));
        if (console.contains("WARNING the snapshot held for this comparison ended")) {
            also.add("post.verify measured the live data (its snapshot ended with the killed run)");
        }
        String rule = expected(kill);
        if (!outcome.startsWith(rule)) {
            broken.add("after the kill " + kill.where() + " in " + kill.step().id() + " the next run " + outcome
                    + ", not " + rule + ":\n" + console);
        }
        return "| " + n + " | `" + kill.step().id() + "` | " + kill.where() + " | " + outcome + " | "
                + String.join("; ", also) + " |\n";
    }

    /**
     * The rules every outcome must follow, whatever the document says: a finished step is never run again (but a
     * held snapshot is taken again); a step that is not retry-safe is attached to, or started only when its program
     * never started; a retry-safe one is run again.
     */
    private static String expected(Kill kill) {
        Step s = kill.step();
        boolean snapshot = s.action() instanceof Action.Verify v && v.stage() == Action.Verify.Stage.SNAPSHOT;
        return switch (kill.point().kind()) {
            case FINISHED -> snapshot ? KillOutcome.SNAPSHOT_AGAIN : KillOutcome.SKIPPED;
            case STARTED -> KillOutcome.STARTED;
            case AT_METHOD -> !s.retrySafe() ? KillOutcome.ATTACHED : KillOutcome.RAN_AGAIN;
        };
    }
}
