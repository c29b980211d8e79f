package io.pgmigrate.inspect;

import io.pgmigrate.facts.HostFacts;

import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.transport.LocalShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * pg_wal is often a symbolic link to a disk of its own: its host facts must be those of the disk it points at
 * (where a replication slot's retained WAL takes space), not of the data directory the link lives in.
 */
class WalDirectoryIT {
    @TempDir
    Path data;

    @Test
    void aSymbolicLinkToAnotherFileSystemIsFollowed() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeThat(Files.isDirectory(shm) && Files.isWritable(shm)).isTrue();
        Path wal = Files.createTempDirectory(shm, "pgm-wal-");
        try {
            Files.createSymbolicLink(data.resolve("pg_wal"), wal);
            try (LocalShell shell = new LocalShell(null)) {
                HostFactsReader reader = new HostFactsReader(new HostCommands(shell));
                HostFacts dataDir = reader.read(data.toString());
                HostFacts walDir = reader.read(SourceHostReader.walDir(data.toString(), PgVersion.parse("15.18")));
                HostFacts target = reader.read(wal.toString());
                assumeThat(target.deviceId()).isNotEqualTo(dataDir.deviceId());
                assertThat(walDir.path()).isEqualTo(data + "/pg_wal/");
                assertThat(walDir.deviceId()).isEqualTo(target.deviceId());
                assertThat(walDir.fileSystemType()).isEqualTo(target.fileSystemType()).isEqualTo("tmpfs");
                assertThat(walDir.realPath()).isEqualTo(wal.toRealPath().toString());
            }
        } finally {
            Files.deleteIfExists(data.resolve("pg_wal"));
            Files.deleteIfExists(wal);
        }
    }

    @Test
    void beforePostgres10TheDirectoryWasPgXlog() {
        assertThat(SourceHostReader.walDir("/d", PgVersion.parse("9.6.24"))).isEqualTo("/d/pg_xlog/");
        assertThat(SourceHostReader.walDir("/d", PgVersion.parse("15.18"))).isEqualTo("/d/pg_wal/");
    }
}
