package io.pgmigrate.execute;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.InPlaceUpgrade;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.DetachedCommand;
import io.pgmigrate.transport.LocalShell;
import io.pgmigrate.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nothing another local user planted is trusted: a work directory made beforehand by another OS user, or one that
 * others can write, is refused over the real sshd before any step runs; so is a detached step's state directory.
 */
class PlantedDirectoriesIT {
    @TempDir
    Path dir;

    @Test
    void aWorkDirectoryOfAnotherUserOrWritableByOthersIsRefusedBeforeAnyStep() throws Exception {
        assumeTrue(OsUser.isRoot(), "plants directories of other OS users: needs root");
        try (PgCluster pg = InPlaceUpgrade.seededCluster()) {
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "planted", pg, InPlaceUpgrade.Options.link());
            Path work = up.workDir();
            Files.createDirectory(work);
            OsUser.run(List.of("chown", "nobody:nogroup", work.toString()), false);
            OsUser.run(List.of("chmod", "0700", work.toString()), false);

            CliRun foreign = CliRun.of("execute", "-i", up.inventory().toString(), up.planFile().toString());
            assertThat(foreign.exitCode()).as(foreign.err() + foreign.out()).isEqualTo(2);
            assertThat(foreign.err().strip()).doesNotContain("\n")
                    .contains(work + " is owned by nobody, not by postgres, and pgmigrate trusts nothing there that"
                            + " another user could have planted (check it and remove it, or choose another work"
                            + " directory)");
            assertThat(up.journal()).as("no step ran").doesNotExist();
            assertThat(CliRun.of("rollback", "-i", up.inventory().toString(), up.planFile().toString()).exitCode())
                    .isEqualTo(2);

            OsUser.run(List.of("chown", "postgres:postgres", work.toString()), false);
            OsUser.run(List.of("chmod", "0777", work.toString()), false);
            CliRun open = CliRun.of("execute", "-i", up.inventory().toString(), up.planFile().toString());
            assertThat(open.exitCode()).as(open.err() + open.out()).isEqualTo(2);
            assertThat(open.err()).contains(work + " is writable by users other than postgres, and pgmigrate"
                    + " trusts nothing there");
            assertThat(up.journal()).as("no step ran").doesNotExist();
            assertThat(work).isEmptyDirectory();
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(15);
        }
    }

    @Test
    void aDetachedStepsStateDirectoryOthersCanWriteOrALinkIsRefused() throws Exception {
        assumeTrue(OsUser.isRoot(), "plants directories of other OS users: needs root");
        Path state = dir.resolve("steps");
        Files.createDirectory(state);
        OsUser.run(List.of("chmod", "0777", state.toString()), false);
        try (LocalShell sh = new LocalShell(null)) {
            DetachedCommand d = DetachedCommand.on(sh, state.toString(), "step");
            assertThatThrownBy(() -> d.start(List.of("touch", dir.resolve("ran").toString()), dir.toString()))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining(state + " is writable by users other than root, and pgmigrate trusts nothing");
            assertThatThrownBy(d::status).hasMessageContaining("is writable by users other than root");
            Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectory(dir.resolve("elsewhere")));
            assertThatThrownBy(() -> DetachedCommand.on(sh, link.toString(), "step").start(List.of("touch",
                    dir.resolve("ran").toString()), dir.toString())).hasMessageContaining(link + " is a symbolic link");
            assertThat(dir.resolve("ran")).as("nothing ran").doesNotExist();
            assertThat(dir.resolve("elsewhere")).isEmptyDirectory();
        }
    }
}
