package io.pgmigrate.execute;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.testing.BinCopy;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Events;
import io.pgmigrate.testing.InPlaceUpgrade;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pg_upgrade's output of an earlier attempt (delete_old_cluster.sh, update_extensions.sql) lies in the work directory,
 * and pgmigrate and the detached pg_upgrade are both killed mid-run: the step's program is lost. The earlier output is
 * removed before pg_upgrade starts, and an execute after the kill never takes such a file for proof that pg_upgrade
 * completed: it cannot tell, says so, and runs nothing after pg_upgrade.
 */
class StaleOutputIT {
    /** pg_upgrade (not --check) records what its working directory, the plan's work directory, holds as it starts. */
    private static final String RECORDS_THE_WORK_DIRECTORY = """
            case " $* " in *" --check "*) ;; *) ls -1A > "$HERE/work-directory-at-start" ;; esac""";
    private static final String DONE_FILE = "delete_old_cluster.sh";
    private static final String EXTENSIONS_FILE = "update_extensions.sql";

    @TempDir
    Path dir;

    @Test
    void aLostPgUpgradeIsNeverJudgedDoneByAnEarlierAttemptsOutput() throws Exception {
        try (PgCluster pg = InPlaceUpgrade.seededCluster()) {
            Path bin = BinCopy.of(pg.root().resolve("bin18"), Toolchain.binDir(18),
                    Map.of("pg_upgrade", RECORDS_THE_WORK_DIRECTORY));
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "stale", pg, InPlaceUpgrade.Options.link().targetBin(bin));
            try {
                plantEarlierOutput(up.workDir());

                Process p = up.launch("execute", dir.resolve("execute.out"));
                Path pidFile;
                try {
                    pidFile = awaitPgUpgradeUnderWay(up, p);
                } finally {
                    p.destroyForcibly().waitFor();
                }
                String pid = Files.readString(pidFile).strip().split(" ")[0];
                OsUser.run(List.of("kill", "-KILL", "--", "-" + pid), false);
                awaitGroupGone(pid);
                assertThat(pidFile.resolveSibling("outage.pg-upgrade.rc")).as("no exit status: LOST").doesNotExist();

                assertThat(Files.readAllLines(bin.resolve("work-directory-at-start")))
                        .as("what pg_upgrade found in the work directory as it started")
                        .doesNotContain(DONE_FILE, EXTENSIONS_FILE);

                // even were an earlier attempt's script still there, it proves nothing about this attempt
                plant(up.workDir().resolve(DONE_FILE), "#!/bin/sh\nexit 0\n");
                CliRun again = up.execute();
                assertThat(again.exitCode()).as(again.out()).isEqualTo(4);
                assertThat(InPlaceUpgrade.summary(again)).contains("step outage.pg-upgrade was interrupted in an"
                        + " earlier run and pgmigrate cannot tell its effect", "older than this run of the step",
                        "Nothing was changed now");
                List<JournalEvent> events = up.events();
                assertThat(events).filteredOn(Events.finished("outage.pg-upgrade")).isEmpty();
                assertThat(events).filteredOn(e -> e instanceof JournalEvent.StepStarted)
                        .extracting(JournalEvent::step).as("nothing after pg_upgrade ran")
                        .doesNotContain("outage.start-new", "outage.wait-ready", "post.update-extensions");

                // the DBA goes back; the earlier attempt's update_extensions.sql never ran
                CliRun back = up.run("rollback");
                assertThat(back.exitCode()).as(back.out()).isZero();
                assertThat(InPlaceUpgrade.serverMajor(pg.port())).isEqualTo(15);
                try (SqlSession s = pg.connect("postgres")) {
                    assertThat(s.query("SELECT count(*) AS n FROM pg_catalog.pg_class WHERE relname ="
                            + " 'earlier_attempt_ran'").get(0).getLong("n")).isZero();
                }
            } finally {
                pg.stopUpgraded();
            }
        }
    }

    /** What a completed earlier attempt leaves, an hour old: the script, and SQL that must never run now. */
    private static void plantEarlierOutput(Path work) throws Exception {
        Files.createDirectories(work);
        OsUser.run(List.of("chmod", "700", work.toString()), false);
        OsUser.chownToOwner(work);
        plant(work.resolve(DONE_FILE), "#!/bin/sh\nrm -rf '/nonexistent/earlier attempt'\n");
        plant(work.resolve(EXTENSIONS_FILE), "\\connect postgres\nCREATE TABLE public.earlier_attempt_ran ();\n");
    }

    private static void plant(Path file, String content) throws Exception {
        Files.writeString(file, content);
        OsUser.run(List.of("chmod", "700", file.toString()), false);
        OsUser.run(List.of("chown", OsUser.clusterOwner() + ":", file.toString()), false);
        OsUser.run(List.of("touch", "-d", "1 hour ago", file.toString()), false);
    }

    /**
     * Waits until the journal shows pg_upgrade started and its detached run is past its checks ("Performing
     * Upgrade": the old cluster is down, the new one being filled); returns its pid file.
     */
    private static Path awaitPgUpgradeUnderWay(InPlaceUpgrade up, Process p) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (Journal.read(up.journal()).stream().anyMatch(Events.started("outage.pg-upgrade"))) {
                Path steps = up.stepsDir();
                Path out = steps.resolve("outage.pg-upgrade.out");
                if (Files.exists(steps.resolve("outage.pg-upgrade.pid")) && Files.exists(out)
                        && Files.readString(out).contains("Performing Upgrade")) {
                    return steps.resolve("outage.pg-upgrade.pid");
                }
            }
            assertThat(p.isAlive()).as("pgmigrate ended before pg_upgrade was under way: "
                    + Files.readString(up.journal().resolveSibling("execute.out"))).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("pg_upgrade never got under way");
    }

    private static void awaitGroupGone(String pgid) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (OsUser.run(List.of("pgrep", "-g", pgid), true).exitCode() != 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("pg_upgrade's process group " + pgid + " outlived SIGKILL");
    }
}
