package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Step;
import io.pgmigrate.testing.KillMatrixDoc;
import io.pgmigrate.testing.KillOutcome;
import io.pgmigrate.testing.KilledRun;
import io.pgmigrate.testing.KilledRun.Point;
import io.pgmigrate.testing.LedgerClient;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestPgbouncer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blue/green part of the kill matrix that {@link BlueGreenIT} does not cover: pgmigrate SIGKILLed at the switch of
 * clients, in the cutover (just after its started event, while its switch command runs, just after it finished) and
 * in the reverse cutover (the same three), each followed by execute or rollback again, while the ledger client writes
 * through pgbouncer all along. Execute completes with clients on green holding every committed row, rollback with
 * clients on blue holding every committed row, and the client sees no error. What each next run did is
 * docs/kill-matrix.md's table blue-green (written to target/kill-matrix.md as observed).
 */
class BlueGreenKillIT {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private record Kill(String command, Step step, Point point, String where) {
    }

    @Test
    void killedAtTheSwitchOfTheCutoverAndOfItsReverseNoCommittedRowIsLost() throws Exception {
        try (PgCluster blue = PgCluster.create(15, PgCluster.Init.defaults())) {
            blue.appendConfig(List.of("wal_level = logical"));
            blue.startServer();
            try (TestPgbouncer bouncer = TestPgbouncer.inFrontOf(blue)) {
                BlueGreenIT.seed(blue);
                int greenPort = PgCluster.freePort();
                Path greenData = blue.root().resolve("green");
                try {
                    Path inv = BlueGreenIT.inventory(dir, blue, bouncer, greenData, greenPort, "kill-bg", "");
                    Path planFile = BlueGreenIT.plan(dir, inv, "kill-bg");
                    Path journal = dir.resolve("kill-bg.journal.jsonl");
                    Path workDir = blue.root().resolve("pgmigrate-kill-bg");
                    Plan plan = PlanJson.readVerified(planFile);
                    LedgerClient client = LedgerClient.start(BlueGreenIT.url(bouncer.port()), "postgres", 1, 50);
                    List<String> rows = new ArrayList<>();
                    for (String command : List.of("execute", "rollback")) {
                        Step sw = plan.step((command.equals("execute") ? "cutover" : "rollback") + ".switch-clients")
                                .orElseThrow();
                        List<Kill> kills = List.of(
                                new Kill(command, sw, Point.started(sw.id()), "just after it started"),
                                new Kill(command, sw, Point.at(sw.id(), "io.pgmigrate.transport.DetachedCommand",
                                        "await"), "while its switch command runs"),
                                new Kill(command, sw, Point.finished(sw.id()), "just after it finished"));
                        // killed at each point in turn, then the same command again, to its end
                        for (int i = 0; i <= kills.size(); i++) {
                            KillOutcome.awaitLockFree(workDir);
                            int seen = Journal.read(journal).size();
                            Point point = i < kills.size() ? kills.get(i).point() : null;
                            KilledRun.Result run = KilledRun.run(List.of(command, "-i", inv.toString(),
                                    planFile.toString()), point, RUN_LIMIT, null);
                            if (i > 0) {
                                List<JournalEvent> events = Journal.read(journal);
                                rows.add(row(rows.size() + 1, kills.get(i - 1), run.console(),
                                        events.subList(seen, events.size())));
                            }
                            if (i == kills.size()) {
                                assertThat(run.exitCode()).as(run.console()).isZero();
                            }
                        }
                        Thread.sleep(500);
                        boolean forward = command.equals("execute");
                        assertThat(BlueGreenIT.major(bouncer.port())).as("clients reach the side that serves")
                                .isEqualTo(forward ? 18 : 15);
                        assertThat(LedgerClient.missingOn(BlueGreenIT.url(forward ? greenPort : blue.port()),
                                "postgres", client.committedIds())).as("committed rows missing on "
                                + (forward ? "green" : "blue") + ", which serves").isEmpty();
                    }
                    client.stop(30, TimeUnit.SECONDS);
                    assertThat(client.errors()).as("errors the client saw").isEmpty();
                    assertThat(Journal.read(journal)).as("the reverse cutover completed")
                            .anyMatch(e -> e instanceof JournalEvent.RollbackFinished f
                                    && f.kind() == JournalEvent.RollbackKind.REVERSE_CUTOVER);
                    KillMatrixDoc.check("blue-green", "| # | command | step | killed | what the next run did | also |\n"
                            + "|---|---|---|---|---|---|\n" + String.join("", rows));
                } finally {
                    PgCluster.stopServerAt(greenData);
                }
            }
        }
    }

    private static String row(int n, Kill kill, String console, List<JournalEvent> events) {
        String outcome = KillOutcome.of(kill.step(), console, events);
        String also = outcome.equals(KillOutcome.ABANDONED) ? (KillOutcome.attached(kill.step().id(), console)
                ? "its switch attached to the run the abandoned attempt had started: clients were not switched again"
                : "its switch ran afresh") : "";
        return "| " + n + " | " + kill.command() + " | `" + kill.step().id() + "` | " + kill.where() + " | " + outcome
                + " | " + also + " |\n";
    }
}
