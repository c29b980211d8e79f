package io.pgmigrate.execute;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller's disk fills up under the journal (a small tmpfs holds the plan's directory): execute stops before
 * the outage with one line when too little is free for the journal, stops before any step with one line when not a
 * byte can be written, the journal stays readable for status, and once space is freed execute resumes and completes.
 */
class FullDiskIT {
    @TempDir
    Path dir;
    private Path disk;

    @AfterEach
    void unmount() {
        if (disk != null) {
            OsUser.run(List.of("umount", "-l", disk.toString()), true);
        }
    }

    @Test
    void aFullDiskUnderTheJournalStopsBeforeTheStepAndStatusStillReadsIt() throws Exception {
        assertThat(OsUser.isRoot()).as("mounting a small file system for the journal needs root").isTrue();
        disk = Files.createDirectories(dir.resolve("disk"));
        OsUser.run(List.of("mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", disk.toString()), false);
        try (PgCluster pg = PgCluster.start(15)) {
            ExecuteIT.seed(pg);
            String before = ExecuteIT.dump(pg, "shop");
            Path inventory = TestInventory.write(disk, "full", pg, TestInventory.localHost(), "link",
                    PgCluster.freePort());
            assertThat(CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", disk.toString())
                    .exitCode()).isZero();
            Path plan = disk.resolve("full.plan.json");
            Path journal = disk.resolve("full.journal.jsonl");

            // 8 MiB free: the steps before the outage run, the outage does not begin
            Path filler = disk.resolve("filler");
            fill(filler, Files.getFileStore(disk).getUsableSpace() - 8L * 1024 * 1024);
            CliRun low = CliRun.of("execute", "-i", inventory.toString(), plan.toString());
            assertThat(low.exitCode()).as(low.err() + low.out()).isEqualTo(4);
            assertThat(lastLine(low.out())).contains("free on the file system of the journal " + journal,
                    "stopped before step outage.checkpoint, which did not run");
            assertThat(low.err()).doesNotContain("Exception");
            assertThat(Journal.state(journal).isFinished("prepare.hba")).isTrue();
            assertThat(Journal.state(journal).began("outage.checkpoint")).isFalse();
            assertThat(ExecuteIT.serverMajor(pg)).as("the old cluster was not touched").isEqualTo(15);

            // not a byte left, not even in the journal's last page: a write that does not fit is cut off again
            fill(disk.resolve("filler2"), Files.getFileStore(disk).getUsableSpace() + 1024 * 1024);
            long size = Files.size(journal);
            int written = 0;
            try (Journal j = Journal.open(journal)) {
                for (; written < 100; written++) {
                    j.append(new JournalEvent.StepOverdue(java.time.Instant.now(), "prepare.hba", 0));
                    size = Files.size(journal);
                }
            } catch (Journal.WriteFailed e) {
                assertThat(e.getMessage()).contains("No space left on device").doesNotContain("\n");
            }
            assertThat(written).as("the disk filled up").isLessThan(100);
            assertThat(Files.size(journal)).as("no torn line is left behind").isEqualTo(size);
            int events = Journal.read(journal).size();
            CliRun full = CliRun.of("execute", "-i", inventory.toString(), plan.toString());
            assertThat(full.exitCode()).isEqualTo(4);
            assertThat(lastLine(full.out())).contains("cannot write the journal " + journal,
                    "No space left on device", "Nothing was run now");
            assertThat(Journal.read(journal)).hasSize(events);
            CliRun status = CliRun.of("status", plan.toString());
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("done", "prepare.hba");

            // space again: execute resumes from the journal and completes
            Files.delete(disk.resolve("filler2"));
            Files.delete(filler);
            CliRun resumed = CliRun.of("execute", "-i", inventory.toString(), plan.toString());
            assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
            assertThat(resumed.out()).contains("done   prepare.hba (in an earlier run)");
            assertThat(Journal.read(journal)).anyMatch(e -> e instanceof JournalEvent.ExecutionFinished);
            assertThat(ExecuteIT.dump(pg, "shop")).isEqualTo(before);
            pg.stopUpgraded();
        }
    }

    /** Writes zeros until {@code bytes} are written or the disk is full. */
    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, bytes - written));
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    private static String lastLine(String out) {
        List<String> lines = out.strip().lines().toList();
        return lines.get(lines.size() - 1);
    }
}
