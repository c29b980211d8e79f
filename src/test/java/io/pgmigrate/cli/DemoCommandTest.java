package io.pgmigrate.cli;

import io.pgmigrate.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** pgmigrate demo's bad input: one line on stderr, exit 2, no stack trace. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        for (String[] args : new String[][]{
                {"demo", "--dir", tmp.resolve("d").toString(), "--mode", "fast"},
                {"demo", "--dir", tmp.resolve("d").toString(), "--scale", "-1"},
                {"demo", "--dir", "/tmp/with space"},
                {"demo", "--scale", "many"}}) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err().lines()).as(String.join(" ", args)).singleElement().asString()
                    .startsWith("pgmigrate: ").doesNotContain("Exception", "\tat ");
            assertThat(run.out()).isEmpty();
        }
        assertThat(tmp.resolve("d")).doesNotExist();
    }

    @Test
    void stopWithoutADemo() {
        CliRun run = CliRun.of("demo", "--stop", "--dir", tmp.resolve("d").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("no demo in " + tmp.resolve("d") + ": nothing to remove\n");
    }

    @Test
    void theVerbIsListed() {
        assertThat(CliRun.of("--help").out()).contains("demo");
    }
}
