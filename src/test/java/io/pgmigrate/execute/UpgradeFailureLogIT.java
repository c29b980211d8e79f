package io.pgmigrate.execute;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Events;
import io.pgmigrate.testing.InPlaceUpgrade;
import io.pgmigrate.testing.OnJournalEvent;
import io.pgmigrate.testing.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pg_upgrade fails mid-run, after the old cluster stopped, and says little more than "Failure, exiting" on its
 * output: the reason is in its own log under pg_upgrade_output.d. The DBA sees that line on the console and in the
 * failure's summary, and the execution rolls back to the old cluster.
 */
class UpgradeFailureLogIT {
    private static final String UNKNOWN_SETTING = "pgmigrate_test_no_such_setting";

    @TempDir
    Path dir;

    @Test
    void whenPgUpgradeFailsTheDbaSeesTheLineOfItsLogThatSaysWhy() throws Exception {
        try (PgCluster pg = InPlaceUpgrade.seededCluster()) {
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "upgrade-log", pg, InPlaceUpgrade.Options.link());
            // once the new cluster's settings are written, a setting it does not know: its server cannot start
            Path autoConf = up.newData().resolve("postgresql.auto.conf");
            CliRun run;
            try (OnJournalEvent broken = OnJournalEvent.when(up.journal(), Events.finished("prepare.settings"),
                    () -> append(autoConf, UNKNOWN_SETTING + " = on\n"))) {
                run = up.execute();
                assertThat(broken.done()).isTrue();
            }
            assertThat(run.exitCode()).as(run.out()).isEqualTo(4);
            // on the console: the end of pg_upgrade's logs, with the server's complaint naming the setting
            assertThat(run.out()).contains("run    outage.pg-upgrade", "Failure, exiting")
                    .containsPattern("log \\S+/pg_upgrade_output\\.d/\\S+/log/pg_upgrade_server\\.log:")
                    .containsPattern("log \\|.*unrecognized configuration parameter \"" + UNKNOWN_SETTING + "\"");
            // in the summary: the line of pg_upgrade's log that says what went wrong, not only "Failure, exiting"
            assertThat(InPlaceUpgrade.summary(run)).as(run.out()).contains("step outage.pg-upgrade failed: ",
                    "exited 1: Failure, exiting; its log " + up.newData() + "/pg_upgrade_output.d/",
                    "/log/pg_upgrade_server.log says: ", "FATAL:  configuration file \"" + autoConf
                            + "\" contains errors",
                    "Rolled back: ", "started the old cluster", "the old cluster serves as before");
            assertThat(InPlaceUpgrade.serverMajor(pg.port())).isEqualTo(15);
            assertThat(up.newData()).doesNotExist();
        }
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
