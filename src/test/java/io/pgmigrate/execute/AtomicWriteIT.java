package io.pgmigrate.execute;

import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.LocalShell;
import io.pgmigrate.transport.SshShell;
import io.pgmigrate.transport.TransportOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link AtomicWrite} on this machine and over SSH: exact contents, the mode, nothing left beside the file. */
class AtomicWriteIT {
    private static final Duration T = Duration.ofSeconds(30);
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("pgm-atomic-write-");
    }

    @AfterEach
    void tearDown() {
        PgCluster.deleteTree(dir);
    }

    private static HostShell shell(String kind) {
        return kind.equals("ssh") ? new SshShell(TestSshd.shared().host("root", null), TransportOptions.defaults())
                : new LocalShell(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void writesTheContentsWithTheModeAndReplacesAnOldFile(String kind) throws IOException {
        Path file = dir.resolve("dir with space/it's.conf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old contents, longer than the new ones\n".repeat(10));
        String content = "host all all 10.0.0.0/8 scram-sha-256\n# '$x' \"y\" `id` \\ Größe\n\nno newline";
        try (HostShell sh = shell(kind)) {
            CommandResult r = AtomicWrite.write(sh, file.toString(), "0640", content, T);
            assertThat(r.exitCode()).isZero();
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void emptyContentsMakeAnEmptyFile(String kind) throws IOException {
        Path file = dir.resolve("empty");
        try (HostShell sh = shell(kind)) {
            assertThat(AtomicWrite.write(sh, file.toString(), "600", "", T).exitCode()).isZero();
        }
        assertThat(Files.size(file)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void missingDirectoryFailsAndTheArgumentsHoldOnlyPathAndMode(String kind) {
        Path file = dir.resolve("no-such-dir/file");
        try (HostShell sh = shell(kind)) {
            CommandResult r = AtomicWrite.write(sh, file.toString(), "600", "secret", T);
            assertThat(r.ok()).isFalse();
            assertThat(r.lastErrorLine()).contains("no-such-dir");
        }
        assertThat(AtomicWrite.argv(file.toString(), "600")).doesNotContain("secret").endsWith(file.toString(), "600");
    }
}
