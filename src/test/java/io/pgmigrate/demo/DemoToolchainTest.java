package io.pgmigrate.demo;

import io.pgmigrate.core.PgMigrateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the demo finds PostgreSQL 15 and 18: toolchain.env, overridden by the environment. */
class DemoToolchainTest {
    @TempDir
    Path dir;

    @Test
    void parsesTheLinesToolchainShWrites() {
        assertThat(DemoToolchain.parse("""
                PGMIGRATE_PG15_BIN=/usr/lib/postgresql/15/bin
                PGMIGRATE_PG18_BIN=/var/cache/pgmigrate/pg18/bin
                PGMIGRATE_SSHD=/usr/sbin/sshd
                """)).containsExactly(
                Map.entry("PGMIGRATE_PG15_BIN", "/usr/lib/postgresql/15/bin"),
                Map.entry("PGMIGRATE_PG18_BIN", "/var/cache/pgmigrate/pg18/bin"),
                Map.entry("PGMIGRATE_SSHD", "/usr/sbin/sshd"));
    }

    @Test
    void toleratesCommentsBlankLinesExportQuotesAndJunk() {
        assertThat(DemoToolchain.parse("""
                # written by hand
                
                export A=/a
                  B = "/b c"
                C='/c'
                no equals sign here
                =nokey
                D=
                E=x=y
                """)).containsExactly(Map.entry("A", "/a"), Map.entry("B", "/b c"), Map.entry("C", "/c"),
                Map.entry("D", ""), Map.entry("E", "x=y"));
    }

    @Test
    void readsTheEnvFileInPgmigrateCache() throws IOException {
        Path pg15 = fakeBinDir("15");
        Path pg18 = fakeBinDir("18");
        Files.writeString(dir.resolve("toolchain.env"), "PGMIGRATE_PG15_BIN=" + pg15 + "\nPGMIGRATE_PG18_BIN=" + pg18 + "\n");
        assertThat(DemoToolchain.locate(Map.of("PGMIGRATE_CACHE", dir.toString())))
                .isEqualTo(new DemoToolchain(pg15, pg18));
    }

    @Test
    void readsTheEnvFileAsTheToolchainWritesItWithMoreVersions() throws IOException {
        Path pg15 = fakeBinDir("15");
        Path pg18 = fakeBinDir("18");
        Files.writeString(dir.resolve("toolchain.env"), "PGMIGRATE_PG15_BIN=" + pg15 + "\nPGMIGRATE_PG18_BIN=" + pg18
                + "\nPGMIGRATE_PG13_BIN=/var/cache/pgmigrate/pg13/bin\nPGMIGRATE_PG17_BIN=/var/cache/pgmigrate/pg17/bin"
                + "\nPGMIGRATE_SSHD=/usr/sbin/sshd\nPGMIGRATE_PGBOUNCER=/usr/sbin/pgbouncer\n");
        assertThat(DemoToolchain.locate(Map.of("PGMIGRATE_CACHE", dir.toString())))
                .isEqualTo(new DemoToolchain(pg15, pg18));
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws IOException {
        Path pg15 = fakeBinDir("15");
        Path pg18 = fakeBinDir("18");
        Path other18 = fakeBinDir("other18");
        Files.writeString(dir.resolve("toolchain.env"), "PGMIGRATE_PG15_BIN=" + pg15 + "\nPGMIGRATE_PG18_BIN=" + pg18 + "\n");
        assertThat(DemoToolchain.locate(Map.of("PGMIGRATE_CACHE", dir.toString(), "PGMIGRATE_PG18_BIN", other18.toString())))
                .isEqualTo(new DemoToolchain(pg15, other18));
    }

    @Test
    void theEnvironmentAloneIsEnough() throws IOException {
        Path pg15 = fakeBinDir("15");
        Path pg18 = fakeBinDir("18");
        assertThat(DemoToolchain.locate(Map.of("PGMIGRATE_CACHE", dir.resolve("none").toString(),
                "PGMIGRATE_PG15_BIN", pg15.toString(), "PGMIGRATE_PG18_BIN", pg18.toString())))
                .isEqualTo(new DemoToolchain(pg15, pg18));
    }

    @Test
    void noEnvFileSaysToRunTheToolchainScript() {
        Path cache = dir.resolve("none");
        assertThatThrownBy(() -> DemoToolchain.locate(Map.of("PGMIGRATE_CACHE", cache.toString())))
                .isInstanceOf(PgMigrateException.class)
                .hasMessageContaining("there is no " + cache.resolve("toolchain.env"))
                .hasMessageContaining("run scripts/toolchain.sh as root first")
                .extracting(e -> ((PgMigrateException) e).exitCode().code()).isEqualTo(2);
    }

    @Test
    void aKeyMissingFromTheFileIsNamed() throws IOException {
        Files.writeString(dir.resolve("toolchain.env"), "PGMIGRATE_PG15_BIN=" + fakeBinDir("15") + "\n");
        assertThatThrownBy(() -> DemoToolchain.locate(Map.of("PGMIGRATE_CACHE", dir.toString())))
                .hasMessageContaining(dir.resolve("toolchain.env") + " does not set PGMIGRATE_PG18_BIN");
    }

    @Test
    void aDirectoryWithoutTheProgramsIsRefused() throws IOException {
        Path pg15 = fakeBinDir("15");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> DemoToolchain.locate(Map.of("PGMIGRATE_CACHE", dir.toString(),
                "PGMIGRATE_PG15_BIN", pg15.toString(), "PGMIGRATE_PG18_BIN", empty.toString())))
                .hasMessageContaining("the environment variable PGMIGRATE_PG18_BIN names " + empty + ", which has no postgres");
    }

    @Test
    void aRelativeDirectoryIsRefused() {
        assertThatThrownBy(() -> DemoToolchain.resolve(Map.of("PGMIGRATE_PG15_BIN", "bin15"), Map.of(),
                dir.resolve("toolchain.env")))
                .hasMessageContaining("is not an absolute path: 'bin15'");
    }

    @Test
    void theDefaultCacheIsVarCachePgmigrate() {
        assertThat(DemoToolchain.envFile(Map.of())).isEqualTo(Path.of("/var/cache/pgmigrate/toolchain.env"));
        assertThat(DemoToolchain.envFile(Map.of("PGMIGRATE_CACHE", " "))).isEqualTo(Path.of("/var/cache/pgmigrate/toolchain.env"));
    }

    /** A directory with an executable file for each program the demo runs. */
    private Path fakeBinDir(String name) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
        for (String program : DemoToolchain.PROGRAMS) {
            Path p = Files.writeString(bin.resolve(program), "#!/bin/sh\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }
}
