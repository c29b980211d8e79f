package io.pgmigrate.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A password file open to group or others is refused in one line naming it and the fix; a private or absent one is fine. */
class PgPassFileTest {
    @TempDir
    Path home;

    private Path pgpass(String mode) throws Exception {
        Path f = home.resolve(".pgpass");
        Files.writeString(f, "*:*:*:postgres:secret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void privateOrMissingFilesAreFine() throws Exception {
        assertThatCode(() -> PgPassFile.requirePrivate(Map.of(), home.toString())).doesNotThrowAnyException();
        pgpass("rw-------");
        assertThatCode(() -> PgPassFile.requirePrivate(Map.of(), home.toString())).doesNotThrowAnyException();
        pgpass("r--------");
        assertThatCode(() -> PgPassFile.requirePrivate(Map.of(), home.toString())).doesNotThrowAnyException();
        assertThatCode(() -> PgPassFile.requirePrivate(Map.of(), null)).doesNotThrowAnyException();
    }

    @Test
    void anyGroupOrOtherBitIsRefused() throws Exception {
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw-----w-", "rw---x---", "rw-rw-rw-"}) {
            Path f = pgpass(mode);
            assertThatThrownBy(() -> PgPassFile.requirePrivate(Map.of(), home.toString())).as(mode)
                    .isInstanceOf(TransportException.class)
                    .satisfies(e -> assertThat(((TransportException) e).exitCode().code()).isEqualTo(2))
                    .hasMessageContaining(f.toString()).hasMessageContaining("chmod 0600 " + f)
                    .hasMessageNotContaining("\n").hasMessageNotContaining("secret");
        }
        pgpass("rw-r--r--");
        assertThatThrownBy(() -> PgPassFile.requirePrivate(Map.of(), home.toString()))
                .hasMessageStartingWith(home.resolve(".pgpass") + " has mode 0644");
    }

    @Test
    void pgpassfileWinsOverTheHomeDirectory() throws Exception {
        pgpass("rw-r--r--");
        Path other = home.resolve("other");
        Files.writeString(other, "x");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
        assertThat(PgPassFile.location(Map.of("PGPASSFILE", other.toString()), home.toString())).isEqualTo(other);
        assertThatCode(() -> PgPassFile.requirePrivate(Map.of("PGPASSFILE", other.toString()), home.toString()))
                .doesNotThrowAnyException();
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-rw----"));
        assertThatThrownBy(() -> PgPassFile.requirePrivate(Map.of("PGPASSFILE", other.toString()), home.toString()))
                .hasMessageStartingWith("PGPASSFILE " + other + " has mode 0660");
    }
}
