package io.pgmigrate.execute.inplace;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.hosts.HostCluster;
import io.pgmigrate.testing.hosts.HostReplicaSet;
import io.pgmigrate.testing.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In place 15 → 18 with two streaming standbys, each on a host of its own (issue #15): db1b synchronous, db1c
 * asynchronous. With --swap both are re-created with pg_basebackup from the upgraded primary; with --link both are
 * rsynced from the primary's host. Afterwards both stream from the primary on 18 with no lag, a row committed on the
 * primary shows on each, synchronous commit works again, and verify passes.
 */
class StandbysOnHostsIT {
    @RegisterExtension
    final TestHosts hosts = TestHosts.named("db1", "db1b", "db1c");

    @TempDir
    Path dir;

    private HostReplicaSet set(String name, String mode) {
        return HostReplicaSet.start(hosts, List.of("db1", "db1b", "db1c"), dir, name, mode, 20_000).planned();
    }

    @Test
    void swapReCreatesBothStandbys() {
        HostReplicaSet set = set("swap", "swap");
        upgradedWithStandbys(set);
    }

    @Test
    void linkRsyncsBothStandbys() {
        HostReplicaSet set = set("link", "link");
        upgradedWithStandbys(set);
        assertThat(set.standbys().get(0).host().exec("sh", "-c", "test -e " + HostReplicaSet.OLD_DATA
                + ".pgmigrate-kept && echo kept || echo gone").strip()).as("the kept copy stays until cleanup")
                .isEqualTo("kept");
    }

    private void upgradedWithStandbys(HostReplicaSet set) {
        CliRun run = set.run("execute");
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).containsPattern("executed: the new cluster serves on port 5432; write outage [0-9.]+s;"
                + " highly available again after [0-9.]+s \\(every standby streaming with no lag\\)");
        assertThat(CliRun.of("status", set.planFile().toString()).out()).contains("highly available again after");
        assertThat(HostReplicaSet.major(set.primary())).isEqualTo(18);
        for (HostCluster s : set.standbys()) {
            assertThat(HostReplicaSet.major(s)).as(s.host().name()).isEqualTo(18);
        }
        set.awaitNoLag(Duration.ofSeconds(30));
        assertThat(set.replication()).containsExactly("db1b streaming sync", "db1c streaming async");
        assertThat(set.primary().strings("postgres", "SHOW synchronous_standby_names")).containsExactly("db1b");
        assertThat(set.primary().strings("postgres", "SELECT slot_name || ' ' || active FROM pg_replication_slots"))
                .as("db1c's slot made again on 18, and in use").containsExactly("db1c_slot true");

        CliRun verify = set.run("verify");
        assertThat(verify.exitCode()).as(verify.err() + verify.out()).isZero();
        assertThat(read(set.planFile().resolveSibling(set.planFile().getFileName().toString()
                .replace(".plan.json", ".verify.md")))).contains("| highly available again after |");

        set.primary().sql("shop", "SET synchronous_commit = remote_apply",
                "INSERT INTO orders (total, note) VALUES (1, 'after the upgrade')");
        for (HostCluster s : set.standbys()) {
            assertThat(HostReplicaSet.sees(s, "after the upgrade")).as(s.host().name()).isTrue();
        }
    }

    /**
     * db1c has not replayed the primary's shutdown checkpoint when the primary stops (its replay paused): it is never
     * rsynced; the step waits, then fails before the point of no return naming it, and the rollback leaves primary
     * and standbys on 15, streaming.
     */
    @Test
    void aStandbyThatDoesNotReplayTheShutdownCheckpointIsWaitedForThenRolledBack() {
        HostReplicaSet set = set("stuck", "link");
        io.pgmigrate.testing.PlanEdits.withTimeout(set.planFile(), "outage.standby-replayed.db1c",
                Duration.ofSeconds(15));
        HostCluster db1c = set.standbys().get(1);
        db1c.sql("postgres", "SELECT pg_wal_replay_pause()");

        CliRun run = set.run("execute");
        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(4);
        assertThat(run.out()).contains("step outage.standby-replayed.db1c failed: outage.standby-replayed.db1c: standby"
                + " db1c has not replayed the primary's shutdown checkpoint", "Rolled back:",
                "started standby db1b on its old data directory", "checked that standby db1b streams from the old"
                        + " primary again");
        assertThat(run.out()).doesNotContain("standby-rsync");
        assertThat(HostReplicaSet.major(set.primary())).isEqualTo(15);
        db1c.sql("postgres", "SELECT pg_wal_replay_resume()");
        for (HostCluster s : set.standbys()) {
            assertThat(HostReplicaSet.major(s)).as(s.host().name()).isEqualTo(15);
        }
        set.awaitNoLag(Duration.ofSeconds(30));
        assertThat(set.replication()).containsExactly("db1b streaming sync", "db1c streaming async");
        assertThat(db1c.host().exec("sh", "-c", "ls -d /var/lib/postgresql/18/main "
                + HostReplicaSet.OLD_DATA + ".pgmigrate-kept 2>/dev/null || true").strip()).isEmpty();
    }

    /** pgmigrate killed while a standby is re-created: the next execute attaches to pg_basebackup and completes. */
    @Test
    void aKillWhileAStandbyIsReCreatedThenExecuteCompletes() {
        HostReplicaSet set = set("killed", "swap");
        String clone = "post.standby-clone.db1c";
        io.pgmigrate.testing.KilledRun.Result killed = io.pgmigrate.testing.KilledRun.run(set.args("execute"),
                io.pgmigrate.testing.KilledRun.Point.at(clone, "io.pgmigrate.transport.DetachedCommand", "await"),
                Duration.ofMinutes(3), null);
        assertThat(killed.killed()).as(killed.console()).isTrue();

        CliRun again = set.run("execute");
        assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
        assertThat(again.out()).contains("resume " + clone + " was interrupted");
        set.awaitNoLag(Duration.ofSeconds(30));
        assertThat(set.replication()).containsExactly("db1b streaming sync", "db1c streaming async");
        assertThat(HostReplicaSet.major(set.standbys().get(1))).isEqualTo(18);
    }

    /**
     * pgmigrate killed as rsync to db1b begins (inside the outage, before the point of no return): the next execute
     * runs rsync again (it converges) and completes, db1b streaming on 18.
     */
    @Test
    void aKillAsAStandbyIsRsyncedThenExecuteCompletes() {
        HostReplicaSet set = set("killed-rsync", "link");
        String rsync = "outage.standby-rsync.db1b";
        io.pgmigrate.testing.KilledRun.Result killed = io.pgmigrate.testing.KilledRun.run(set.args("execute"),
                io.pgmigrate.testing.KilledRun.Point.started(rsync), Duration.ofMinutes(3), null);
        assertThat(killed.killed()).as(killed.console()).isTrue();

        CliRun again = set.run("execute");
        assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
        assertThat(again.out()).as("run again: rsync converges").contains("done   outage.standby-keep.db1b (in an earlier run)",
                "run    " + rsync);
        set.awaitNoLag(Duration.ofSeconds(30));
        assertThat(set.replication()).containsExactly("db1b streaming sync", "db1c streaming async");
        set.primary().sql("shop", "SET synchronous_commit = remote_apply",
                "INSERT INTO orders (total, note) VALUES (1, 'after the kill')");
        assertThat(HostReplicaSet.sees(set.standbys().get(0), "after the kill")).isTrue();
    }

    private static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
