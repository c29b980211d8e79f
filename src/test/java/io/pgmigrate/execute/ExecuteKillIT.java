package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;

import io.pgmigrate.testing.Events;

import io.pgmigrate.journal.Journal;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgmigrate killed with SIGKILL at four points of a real execution over SSH (before pg_upgrade, while it
 * runs, after the new cluster started, while the data is compared in its held snapshot), then run again
 * each time: it completes, the data is identical, pg_upgrade ran exactly once, and the snapshot for the
 * comparison is taken again.
 */
public class ExecuteKillIT {
    @TempDir
    Path dir;

    @Test
    void killedThreeTimesItStillCompletesAndRunsPgUpgradeOnce() throws Exception {
        TestSshd sshd = TestSshd.shared();
        try (PgCluster pg = PgCluster.start(15)) {
            ExecuteIT.seed(pg);
            String before = ExecuteIT.dump(pg, "shop");
            Path inventory = TestInventory.write(dir, "killed", pg, TestInventory.sshHost(sshd), "link",
                    PgCluster.freePort());
            CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
            assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
            Path planFile = dir.resolve("killed.plan.json");
            Path journal = dir.resolve("killed.journal.jsonl");

            killWhen(inventory, planFile, journal, e -> finished(e, "outage.check-stopped"));
            killWhen(inventory, planFile, journal, Events.started("outage.pg-upgrade"));
            killWhen(inventory, planFile, journal, e -> finished(e, "outage.start-new"));
            // the snapshot held for the comparison dies with the process: the next run takes it again
            killWhen(inventory, planFile, journal, Events.started("post.verify"));
            boolean compared = Journal.read(journal).stream().anyMatch(e -> finished(e, "post.verify"));

            CliRun last = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
            assertThat(last.exitCode()).as(last.err() + last.out()).isZero();
            if (!compared) { // unless the comparison finished within the moment the kill took
                assertThat(last.out()).contains("again  post.verify-snapshot", "PASSED row counts");
            }
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);
            assertThat(ExecuteIT.dump(pg, "shop")).isEqualTo(before);
            String execution = io.pgmigrate.journal.Journal.state(journal).execution();
            String upgradeOutput = Files.readString(pg.root().resolve("pgmigrate-killed/steps/" + execution
                    + "/outage.pg-upgrade.out"));
            assertThat(upgradeOutput.split("Performing Upgrade", -1)).as("pg_upgrade ran once").hasSize(2);
            pg.stopUpgraded();
        }
    }

    private static boolean finished(JournalEvent e, String step) {
        return e instanceof JournalEvent.StepFinished && step.equals(e.step());
    }

    /** Starts `pgmigrate execute` as its own process and SIGKILLs it as soon as the journal shows the event. */
    public static void killWhen(Path inventory, Path planFile, Path journal, Predicate<JournalEvent> event)
            throws Exception {
        killWhen("execute", inventory, planFile, journal, event);
    }

    /** As above for any command that runs a plan's steps (execute, rollback, cleanup). */
    public static void killWhen(String command, Path inventory, Path planFile, Path journal, Predicate<JournalEvent> event)
            throws Exception {
        int seen = Journal.read(journal).size();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getenv().getOrDefault("PGMIGRATE_PROJECT_DIR", "."), "target", "pgmigrate.jar");
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), command, "-i", inventory.toString(),
                planFile.toString()).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        try {
            while (Instant.now().isBefore(deadline)) {
                List<JournalEvent> entries = Journal.read(journal);
                if (entries.stream().skip(seen).anyMatch(event)) {
                    p.destroyForcibly().waitFor();
                    return;
                }
                assertThat(p.isAlive()).as("pgmigrate ended before the kill point (exit "
                        + (p.isAlive() ? "" : p.exitValue()) + ")").isTrue();
                Thread.sleep(50);
            }
            throw new AssertionError("the kill point never came");
        } finally {
            p.destroyForcibly();
        }
    }
}
