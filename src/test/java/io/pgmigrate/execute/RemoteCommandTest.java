package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.LocalShell;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The working directory, environment and only-if-file of a planned command, run through a real /bin/sh. */
class RemoteCommandTest {
    @TempDir
    Path dir;

    private static CommandResult run(Action.RunCommand c) {
        try (LocalShell shell = new LocalShell(null)) {
            return shell.run(RemoteCommand.argv(c), Duration.ofSeconds(10));
        }
    }

    @Test
    void runsInItsWorkDirWithItsEnvironmentAndArgumentsUnchanged() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work dir $x 'q'"));
        CommandResult r = run(new Action.RunCommand(List.of("sh", "-c", "pwd; printf '%s|' \"$GREETING\" \"$0\"", "a b;$c"),
                Map.of("GREETING", "hello world"), null, work.toString(), null));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(work + "\nhello world|a b;$c|");
    }

    @Test
    void aCommandWhoseFileIsMissingIsSkippedAndOneWhoseFileExistsRuns() throws Exception {
        Path sql = dir.resolve("update_extensions.sql");
        Action.RunCommand c = new Action.RunCommand(List.of("cat", sql.toString()), null, sql.toString(), dir.toString(), null);
        CommandResult skipped = run(c);
        assertThat(skipped.exitCode()).isZero();
        assertThat(skipped.stdout()).contains("skipped: " + sql + " does not exist");
        Files.writeString(sql, "ALTER EXTENSION x UPDATE;\n");
        assertThat(run(c).stdout()).isEqualTo("ALTER EXTENSION x UPDATE;\n");
    }

    @Test
    void aMissingWorkDirFailsInsteadOfRunningElsewhere() {
        CommandResult r = run(new Action.RunCommand(List.of("touch", "x"), null, null, dir.resolve("nope").toString(), null));
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(dir.resolve("x")).doesNotExist();
    }

    /**
     * Without a work directory the command runs where it starts, even where the become user cannot enter
     * (pgmigrate run as root from /root with become: postgres, or an SSH login whose home is 0700).
     */
    @Test
    void withoutAWorkDirItRunsInADirectoryTheUserCannotEnter() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run as postgres");
        Path closed = Files.createDirectories(dir.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path sql = dir.resolve("update_extensions.sql");
        Files.writeString(sql, "SELECT 1;\n");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        argv.addAll(RemoteCommand.argv(new Action.RunCommand(List.of("cat", sql.toString()), null, sql.toString(), null, null)));
        Process p = new ProcessBuilder(argv).directory(closed.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo("SELECT 1;\n");
    }
}
