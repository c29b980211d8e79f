package io.pgmigrate.execute;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Events;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Executions kept apart, on real PostgreSQL 15 → 18 over SSH: two controllers (two working copies of one plan) never
 * run at once nor begin two executions on one host; a plan made again against a journal already begun is refused with
 * both digests; and an execution after an earlier one on the same host and paths (rolled back, or completed and
 * cleaned up) runs every step afresh, taking nothing the earlier one left as its own.
 */
class ExecutionsIT {
    @TempDir
    Path dir;

    private static Process start(String command, Path inventory, Path plan) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getenv().getOrDefault("PGMIGRATE_PROJECT_DIR", "."), "target", "pgmigrate.jar");
        return new ProcessBuilder(java, "-jar", jar.toString(), command, "-i", inventory.toString(), plan.toString())
                .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
    }

    @Test
    void twoControllersNeverRunOneExecutionTwiceAndTheSecondJournalCannotBeginAnother() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            ExecuteIT.seed(pg);
            String before = ExecuteIT.dump(pg, "shop");
            Path a = Files.createDirectories(dir.resolve("a"));
            Path inventoryA = TestInventory.write(a, "twice", pg, TestInventory.sshHost(TestSshd.shared()), "link",
                    PgCluster.freePort());
            CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inventoryA.toString(), "-o", a.toString());
            assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
            Path planA = a.resolve("twice.plan.json");
            // a second working copy of the same plan and inventory, as on another controller
            Path b = Files.createDirectories(dir.resolve("b"));
            Path inventoryB = Files.copy(inventoryA, b.resolve("twice.yaml"));
            Path planB = Files.copy(planA, b.resolve("twice.plan.json"), StandardCopyOption.COPY_ATTRIBUTES);

            Process first = start("execute", inventoryA, planA);
            try {
                Path journalA = a.resolve("twice.journal.jsonl");
                awaitJournal(journalA, Events.finished("prepare.initdb"));
                CliRun second = CliRun.of("execute", "-i", inventoryB.toString(), planB.toString());
                assertThat(second.exitCode()).isEqualTo(2);
                assertThat(second.err().strip().lines()).singleElement().asString()
                        .contains("being executed right now from", "(pid " + first.pid() + ",", "execution.lock");
                assertThat(b.resolve("twice.journal.jsonl")).as("the second copy changed nothing").doesNotExist();

                first.destroyForcibly().waitFor();

                // the lock is free now, but the host knows the execution underway is the first copy's
                CliRun stray = CliRun.of("execute", "-i", inventoryB.toString(), planB.toString());
                assertThat(stray.exitCode()).as(stray.err() + stray.out()).isEqualTo(6);
                assertThat(stray.out()).contains("took over the execution lock", "pid " + first.pid(), "has ended");
                assertThat(stray.err()).contains("records execution " + Journal.state(journalA).execution(),
                        journalA.toString(), "does not hold it");
                assertThat(b.resolve("twice.journal.jsonl")).doesNotExist();

                CliRun resumed = CliRun.of("execute", "-i", inventoryA.toString(), planA.toString());
                assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
                assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);
                assertThat(ExecuteIT.dump(pg, "shop")).isEqualTo(before);
            } finally {
                first.destroyForcibly();
                pg.stopUpgraded();
            }
        }
    }

    @Test
    void aPlanMadeAgainAgainstAJournalAlreadyBegunIsRefusedNamingBothDigests() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            ExecuteIT.seed(pg);
            Path inventory = TestInventory.write(dir, "remade", pg, TestInventory.localHost(), "link",
                    PgCluster.freePort());
            assertThat(CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString())
                    .exitCode()).isZero();
            Path planFile = dir.resolve("remade.plan.json");
            Path journal = dir.resolve("remade.journal.jsonl");
            // killed exactly after the work directory was made: nothing it started runs on after it
            io.pgmigrate.testing.KilledRun.Result killed = io.pgmigrate.testing.KilledRun.run(List.of("execute", "-i",
                    inventory.toString(), planFile.toString()), io.pgmigrate.testing.KilledRun.Point.finished(
                    "preflight.workdir"), Duration.ofMinutes(2), null);
            assertThat(killed.killed()).as(killed.console()).isTrue();
            String begun = Journal.state(journal).planDigest();

            Files.writeString(inventory, Files.readString(inventory).replace("mode: link", "mode: copy"));
            assertThat(CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString())
                    .exitCode()).isZero();
            String remade = io.pgmigrate.plan.PlanJson.readVerified(planFile).digest();
            assertThat(remade).isNotEqualTo(begun);
            for (String command : new String[] {"execute", "rollback", "cleanup"}) {
                CliRun refused = CliRun.of(command, "-i", inventory.toString(), planFile.toString());
                assertThat(refused.exitCode()).as(command + ": " + refused.err() + refused.out()).isEqualTo(6);
                assertThat(refused.err().strip().lines()).singleElement().asString()
                        .contains("another plan (digest " + begun + ")", "has digest " + remade, "nothing was changed");
            }
            assertThat(CliRun.of("status", planFile.toString()).out()).contains("holds execution",
                    "of another plan (digest " + begun);
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(15);
        }
    }

    @Test
    void anExecutionAfterARollbackAndAfterACleanupRunsEveryStepAfresh() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            ExecuteIT.seed(pg);
            String before = ExecuteIT.dump(pg, "shop");
            Path inventory = TestInventory.write(dir, "again", pg, TestInventory.sshHost(TestSshd.shared()), "link",
                    PgCluster.freePort());
            assertThat(CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString())
                    .exitCode()).isZero();
            Path planFile = dir.resolve("again.plan.json");
            Path journal = dir.resolve("again.journal.jsonl");
            try (PortSquatter squatter = PortSquatter.when(journal, pg.port(), Events.started("outage.pg-upgrade"),
                    Events.failed("outage.start-new"))) {
                CliRun failed = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
                assertThat(failed.exitCode()).as(failed.out()).isEqualTo(4);
                assertThat(failed.out()).contains("Rolled back", "the old cluster serves as before");
            }
            String firstExecution = Journal.state(journal).execution();
            assertThat(Journal.state(journal).closed()).isTrue();

            // a plan made again after the rollback (another job count), executed on the same host and paths
            Files.writeString(inventory, Files.readString(inventory).replace("jobs: 2", "jobs: 1"));
            assertThat(CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString())
                    .exitCode()).isZero();
            CliRun second = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
            assertThat(second.exitCode()).as(second.err() + second.out()).isZero();
            assertFresh(second.out());
            assertThat(Journal.state(journal).execution()).isNotEqualTo(firstExecution);
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);
            assertThat(ExecuteIT.dump(pg, "shop")).isEqualTo(before);
            CliRun cleanup = CliRun.of("cleanup", "-i", inventory.toString(), planFile.toString());
            assertThat(cleanup.exitCode()).as(cleanup.err() + cleanup.out()).isZero();
            String secondExecution = Journal.state(journal).execution();

            // the same paths once more, with a cluster installed there afresh: its delete_old_cluster.sh and
            // the detached steps' state of the executions before are still in the work directory
            pg.reinitialise();
            ExecuteIT.seed(pg);
            String again = ExecuteIT.dump(pg, "shop");
            assertThat(pg.root().resolve("pgmigrate-again/delete_old_cluster.sh")).exists();
            assertThat(CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString())
                    .exitCode()).isZero();
            CliRun third = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
            assertThat(third.exitCode()).as(third.err() + third.out()).isZero();
            assertFresh(third.out());
            assertThat(Journal.state(journal).execution()).isNotIn(firstExecution, secondExecution);
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);
            assertThat(ExecuteIT.dump(pg, "shop")).isEqualTo(again);
            assertThat(Journal.read(journal)).filteredOn(e -> e instanceof JournalEvent.ExecutionStarted).hasSize(3);
            pg.stopUpgraded();
        }
    }

    /** Every step ran now: none skipped as done earlier, none attached to what an earlier execution left. */
    private static void assertFresh(String out) {
        assertThat(out).doesNotContain("(in an earlier run)", "attached to", "found done");
        assertThat(out).contains("run    outage.pg-upgrade", "run    prepare.initdb", "run    preflight.scratch-initdb");
    }

    private static void awaitJournal(Path journal, java.util.function.Predicate<JournalEvent> event)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(journal) && Journal.read(journal).stream().anyMatch(event)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never came: " + event);
    }
}
