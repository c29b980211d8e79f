package io.pgmigrate.demo;

import io.pgmigrate.core.PgMigrateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo directory: which paths it accepts, and how it tells a demo from anything else. */
class DemoDirTest {
    @TempDir
    Path tmp;

    @Test
    void aRelativeDirectoryBecomesAbsoluteAndNormal() {
        DemoDir d = DemoDir.of(Path.of("x/../demo"));
        assertThat(d.root()).isEqualTo(Path.of("").toAbsolutePath().resolve("demo"));
        assertThat(d.data18()).isEqualTo(d.root().resolve("data18"));
        assertThat(d.planJson()).isEqualTo(d.root().resolve("plans/demo.plan.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/tmp/a b", "/tmp/it's", "/tmp/$HOME", "/tmp/ü"})
    void pathsThatCannotGoPlainIntoConfigFilesAreRefused(String path) {
        assertThatThrownBy(() -> DemoDir.of(Path.of(path)))
                .isInstanceOf(PgMigrateException.class)
                .hasMessageStartingWith("--dir ")
                .hasMessageContaining("choose another");
    }

    @Test
    void aPathTooLongForTheServersSocketIsRefused() {
        assertThatThrownBy(() -> DemoDir.of(Path.of("/tmp/" + "d".repeat(DemoDir.MAX_LENGTH))))
                .hasMessageContaining("at most " + DemoDir.MAX_LENGTH + " characters");
    }

    @Test
    void onlyTheMarkerMakesADemo() throws IOException {
        DemoDir d = DemoDir.of(tmp.resolve("demo"));
        assertThat(d.isDemo()).isFalse();
        assertThat(d.isAbsentOrEmpty()).isTrue();
        Files.createDirectories(d.root());
        assertThat(d.isAbsentOrEmpty()).isTrue();
        Files.writeString(d.root().resolve("precious.txt"), "x");
        assertThat(d.isAbsentOrEmpty()).isFalse();
        assertThat(d.isDemo()).isFalse();
        Files.writeString(d.marker(), "");
        assertThat(d.isDemo()).isTrue();
    }

    @Test
    void aFileIsNeitherEmptyNorADemo() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        DemoDir d = DemoDir.of(file);
        assertThat(d.isAbsentOrEmpty()).isFalse();
        assertThat(d.isDemo()).isFalse();
    }
}
