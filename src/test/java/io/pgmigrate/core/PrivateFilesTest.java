package io.pgmigrate.core;

import io.pgmigrate.app.PlanFiles;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What pgmigrate writes on the controller is its owner's alone: files 0600 in directories 0700. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void plansAndJournalsAreTheOwnersAloneInADirectoryItMade() throws Exception {
        Path out = dir.resolve("plans/new");
        PlanFiles.Written w = PlanFiles.write(Planner.plan(Inventories.sample(), Facts.healthy().build(),
                Instant.parse("2026-12-01T00:00:00Z")), out);
        assertThat(mode(out)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("plans"))).isEqualTo("rwx------");
        assertThat(mode(w.json())).isEqualTo("rw-------");
        assertThat(mode(w.markdown())).isEqualTo("rw-------");

        Path journal = out.resolve("orders-prod.journal.jsonl");
        Files.writeString(journal, "");
        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rw-r--r--"));
        try (Journal j = Journal.open(journal)) {
            assertThat(mode(journal)).as("a journal written before is made private").isEqualTo("rw-------");
        }
        try (Journal j = Journal.open(out.resolve("other.journal.jsonl"))) {
            assertThat(mode(j.file())).isEqualTo("rw-------");
        }
    }

    @Test
    void aDirectoryOthersCanWriteIsRefusedInOneLine() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PrivateFiles.directory(shared, "the output directory", "choose another with --output"))
                .isInstanceOf(PgMigrateException.class)
                .hasMessage("the output directory " + shared + " is writable by every user (mode rwxrwxrwx): pgmigrate"
                        + " keeps plans, journals and reports only where no one else can replace them; choose another"
                        + " with --output")
                .extracting(e -> ((PgMigrateException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThatThrownBy(() -> PrivateFiles.refuseShared(shared, "the plan's directory", "move it"))
                .hasMessageContaining("is writable by its group (mode rwxrwxr-x)");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.directory(shared, "the output directory", "choose another");
        PrivateFiles.writeAtomically(shared.resolve("f"), "x");
        assertThat(mode(shared.resolve("f"))).isEqualTo("rw-------");
    }
}
