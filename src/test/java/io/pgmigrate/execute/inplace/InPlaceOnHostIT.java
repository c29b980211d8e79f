package io.pgmigrate.execute.inplace;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Events;
import io.pgmigrate.testing.KilledRun;
import io.pgmigrate.testing.OnJournalEvent;
import io.pgmigrate.testing.hosts.HostUpgrade;
import io.pgmigrate.testing.hosts.TestHost;
import io.pgmigrate.testing.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In place, PostgreSQL 15 → 18 with --copy, on a database host of its own (a container with its own filesystem and
 * address) that pgmigrate reaches only over SSH, PostgreSQL through its SSH tunnel: execute, then
 * {@code rollback --discard-new-writes}, each leaving the cluster a DBA expects serving with the data of before,
 * every file on the host and none on the controller; a SIGKILL of pgmigrate while pg_upgrade runs, after which
 * pg_upgrade goes on on the host and the next execute attaches to it; and the host frozen (docker pause: a network
 * partition, to pgmigrate) for 30 s while it waits for pg_upgrade, which the same run waits out, reconnecting, and
 * completes. (A partition that catches the start of pg_upgrade is DetachedStepTest's.)
 */
class InPlaceOnHostIT {
    private static final String PG_UPGRADE = "outage.pg-upgrade";
    private static final Duration PARTITION = Duration.ofSeconds(30);

    @RegisterExtension
    final TestHosts hosts = TestHosts.named("db1");

    @TempDir
    Path dir;

    private HostUpgrade plan(String name, int bigRows, boolean rehearsal) {
        return HostUpgrade.plan(hosts.host("db1"), hosts.knownHosts(), dir, name, "copy", bigRows, rehearsal);
    }

    @Test
    void executeThenRollbackDiscardingNewWritesAllOnTheHost() {
        HostUpgrade up = plan("onhost", 1000, true);
        String before = up.data();
        assertThat(up.serving()).isEqualTo("15 " + HostUpgrade.OLD_DATA);

        CliRun run = up.run("execute");
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("executed: the new cluster serves on port " + HostUpgrade.PORT);
        assertThat(up.serving()).isEqualTo("18 " + HostUpgrade.NEW_DATA);
        assertThat(up.data()).isEqualTo(before);
        assertThat(up.host().exec("cat", HostUpgrade.NEW_DATA + "/PG_VERSION").strip()).isEqualTo("18");
        assertThat(up.existsOnHost(HostUpgrade.OLD_DATA + "/global/pg_control.old")).as("the old cluster fenced").isTrue();
        assertThat(up.existsOnHost(up.stepsDir() + "/" + PG_UPGRADE + ".out")).isTrue();
        assertThat(Path.of(HostUpgrade.NEW_DATA)).as("nothing of it on the controller").doesNotExist();
        assertThat(Path.of(up.workDir())).doesNotExist();

        // a write the new cluster accepted, then the way back for --copy: the old files were never touched
        up.cluster().sql("shop", "INSERT INTO orders (s, total, note) VALUES ('new', 1, 'after the upgrade')");
        CliRun plain = up.run("rollback");
        assertThat(plain.exitCode()).as(plain.out()).isEqualTo(4);
        assertThat(plain.out()).contains("--discard-new-writes");
        assertThat(up.serving()).isEqualTo("18 " + HostUpgrade.NEW_DATA);

        CliRun back = up.run("rollback", "--discard-new-writes");
        assertThat(back.exitCode()).as(back.err() + back.out()).isZero();
        assertThat(up.serving()).isEqualTo("15 " + HostUpgrade.OLD_DATA);
        assertThat(up.data()).as("the old cluster's data, the new write discarded").isEqualTo(before);
        assertThat(up.existsOnHost(HostUpgrade.NEW_DATA)).as("the new data directory removed").isFalse();
        assertThat(up.existsOnHost(HostUpgrade.OLD_DATA + "/global/pg_control.old")).isFalse();
        assertThat(CliRun.of("status", up.planFile().toString()).out()).contains("rolled back");
    }

    @Test
    void aKillWhilePgUpgradeRunsThenExecuteAttachesAndCompletes() {
        HostUpgrade up = plan("killed", 600_000, false);
        String before = up.data();

        KilledRun.Result killed = KilledRun.run(up.args("execute"), KilledRun.Point.at(PG_UPGRADE,
                "io.pgmigrate.transport.DetachedCommand", "await"), Duration.ofMinutes(3), null);
        assertThat(killed.killed()).as(killed.console()).isTrue();
        assertThat(up.pgUpgradeRuns()).as("pg_upgrade goes on on the host without pgmigrate").isTrue();

        long t0 = System.nanoTime();
        CliRun again = up.run("execute");
        System.out.printf("execute after the kill: %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);
        assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
        assertThat(again.out()).contains("resume " + PG_UPGRADE + " was interrupted", "attaching to it",
                "executed: the new cluster serves on port " + HostUpgrade.PORT);
        assertThat(up.serving()).isEqualTo("18 " + HostUpgrade.NEW_DATA);
        assertThat(up.data()).isEqualTo(before);
        assertThat(up.host().exec("cat", up.stepsDir() + "/" + PG_UPGRADE + ".out").split("Performing Upgrade", -1))
                .as("pg_upgrade performed its upgrade once").hasSize(2);
    }

    @Test
    void aPartitionWhilePgUpgradeRunsIsWaitedOutByTheSameRun() throws Exception {
        HostUpgrade up = plan("partition", 200_000, false);
        String before = up.data();
        TestHost host = up.host();

        KilledRun.Result run;
        AtomicBoolean frozenWhileItRan = new AtomicBoolean();
        long t0 = System.nanoTime();
        try (OnJournalEvent partition = OnJournalEvent.when(up.journal(), Events.started(PG_UPGRADE),
                () -> frozenWhileItRan.set(freezeWhileRunning(up, host)))) {
            run = KilledRun.run(up.args("execute"), null, Duration.ofMinutes(4), null);
            assertThat(partition.done()).as("the host was frozen").isTrue();
        }
        System.out.printf("execute across a %d s partition: exit %d after %d s%n", PARTITION.toSeconds(),
                run.exitCode(), (System.nanoTime() - t0) / 1_000_000_000L);
        assertThat(frozenWhileItRan).as("pg_upgrade ran when the host froze").isTrue();
        assertThat(run.exitCode()).as(run.console()).isZero();
        assertThat(run.console()).doesNotContain("\tat ", "Exception")
                .contains("(lost postgres@" + host.address() + ":22: ", "reading the outcome again)",
                        "executed: the new cluster serves on port " + HostUpgrade.PORT);
        assertThat(up.serving()).isEqualTo("18 " + HostUpgrade.NEW_DATA);
        assertThat(up.data()).isEqualTo(before);
        assertThat(Journal.read(up.journal())).as("nothing failed, nothing was rolled back")
                .noneMatch(e -> e instanceof JournalEvent.RollbackStarted || e instanceof JournalEvent.StepFailed);
        assertThat(up.host().exec("cat", up.stepsDir() + "/" + PG_UPGRADE + ".out").split("Performing Upgrade", -1))
                .hasSize(2);
    }

    /**
     * Once pg_upgrade runs on the host and pgmigrate waits for it (a second on: its start has long been answered),
     * freezes the host for the partition's length; true when pg_upgrade still ran as it froze.
     */
    private static boolean freezeWhileRunning(HostUpgrade up, TestHost host) {
        try {
            for (int i = 0; i < 600 && !up.pgUpgradeRuns(); i++) {
                Thread.sleep(50);
            }
            Thread.sleep(1000);
            boolean runs = up.pgUpgradeRuns();
            host.pause();
            try {
                Thread.sleep(PARTITION.toMillis());
            } finally {
                host.unpause();
            }
            return runs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
