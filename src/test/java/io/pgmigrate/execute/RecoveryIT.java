package io.pgmigrate.execute;

import io.pgmigrate.testing.Events;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.KilledRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgmigrate rollback} and {@code pgmigrate cleanup} over the test sshd, on one cluster's whole
 * story: an execution killed in the outage is rolled back by hand, executed again to the end, then the
 * old cluster is cleaned up; each command refuses, changing nothing, where it must.
 */
class RecoveryIT {
    @TempDir
    Path dir;

    @Test
    void rollbackAfterAKilledExecutionThenExecuteAndCleanup() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            ExecuteIT.seed(pg);
            String before = ExecuteIT.dump(pg, "shop");
            Path inventory = TestInventory.write(dir, "back", pg, TestInventory.sshHost(TestSshd.shared()), "link",
                    PgCluster.freePort());
            CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
            assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
            Path planFile = dir.resolve("back.plan.json");
            String inv = inventory.toString();
            String planArg = planFile.toString();

            CliRun nothing = CliRun.of("rollback", "-i", inv, planArg);
            assertThat(nothing.exitCode()).as(nothing.err()).isZero();
            assertThat(nothing.out()).contains("nothing to roll back");

            // killed in the outage, with the old cluster down and pg_upgrade (--link) maybe under way: the DBA
            // decides to go back; while pg_upgrade still runs on the host, rollback waits for it
            KilledRun.whenJournalShows(inventory, planFile, dir.resolve("back.journal.jsonl"),
                    Events.finished("outage.stop-old"));
            CliRun early = CliRun.of("cleanup", "-i", inv, planArg);
            assertThat(early.exitCode()).isEqualTo(4);
            assertThat(early.out()).contains("cannot clean up", "has not completed", "Nothing was changed");
            CliRun back = CliRun.of("rollback", "-i", inv, planArg);
            for (int i = 0; i < 120 && back.out().contains("still running"); i++) {
                assertThat(back.out()).contains("cannot roll back yet: step outage.pg-upgrade is still running",
                        "Nothing was changed");
                Thread.sleep(1000);
                back = CliRun.of("rollback", "-i", inv, planArg);
            }
            assertThat(back.exitCode()).as(back.err() + back.out()).isZero();
            assertThat(back.out()).contains("rolled back: ", "started the old cluster",
                    "removed the new data directory", "the old cluster serves as before");
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(15);
            assertThat(ExecuteIT.dump(pg, "shop")).isEqualTo(before);
            assertThat(pg.root().resolve("data18")).doesNotExist();
            assertThat(CliRun.of("status", planArg).out()).contains("rolled back (pgmigrate rollback): the old cluster serves");
            assertThat(CliRun.of("rollback", "-i", inv, planArg).out()).contains("nothing to roll back",
                    "since the last rollback");

            CliRun run = CliRun.of("execute", "-i", inv, planArg);
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(ExecuteIT.dump(pg, "shop")).isEqualTo(before);

            CliRun late = CliRun.of("rollback", "-i", inv, planArg);
            assertThat(late.exitCode()).isEqualTo(4);
            assertThat(late.out()).contains("cannot roll back", "the point of no return was crossed at step outage.start-new (it finished)",
                    "Nothing was changed");
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);

            CliRun clean = CliRun.of("cleanup", "-i", inv, planArg);
            assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
            assertThat(clean.out()).contains("cleaned up: the old cluster's data files were deleted");
            assertThat(pg.root().resolve("data")).doesNotExist();
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);
            assertThat(ExecuteIT.dump(pg, "shop")).isEqualTo(before);
            assertThat(CliRun.of("cleanup", "-i", inv, planArg).out()).contains("cleaned up already");
            assertThat(CliRun.of("status", planArg).out()).containsPattern("done +cleanup.delete-old");
            pg.stopUpgraded();
        }
    }
}
