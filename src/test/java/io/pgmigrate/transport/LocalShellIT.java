package io.pgmigrate.transport;

import io.pgmigrate.testing.OsUser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link LocalShell} on this machine, with and without become. */
class LocalShellIT {
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void becomeRunsAsThatUserThroughSudo() {
        assumeTrue(OsUser.isRoot(), "become needs passwordless sudo, which root has: skipped when not root");
        LocalShell sh = new LocalShell(OsUser.POSTGRES);
        assertThat(sh.describe()).isEqualTo("local (as postgres)");
        CommandResult r = sh.run(List.of("id", "-un"), T);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("postgres\n");
    }

    @Test
    void argumentsReachTheProgramUnchanged() {
        List<String> args = List.of("with space", "it's", "$HOME", "`id`", "a;b", "line1\nline2", "", "Größe 数据");
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\n"));
        argv.addAll(args);
        CommandResult r = new LocalShell(null).run(argv, T);
        assertThat(r.stdout()).isEqualTo(String.join("\n", args) + "\n");
    }

    @Test
    void exitStatusAndStderrAreKept() {
        CommandResult r = new LocalShell(null).run(List.of("sh", "-c", "echo out; echo err >&2; exit 4"), T);
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void missingProgramIsOneLine() {
        assertThatThrownBy(() -> new LocalShell(null).run(List.of("no-such-program-pgm", "--version"), T))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("'no-such-program-pgm'")
                .hasMessageContaining("this machine")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void missingProgramAsAnotherUserIsReportedBySudo() {
        assumeTrue(OsUser.isRoot(), "become needs passwordless sudo, which root has: skipped when not root");
        CommandResult r = new LocalShell(OsUser.POSTGRES).run(List.of("no-such-program-pgm"), T);
        assertThat(r.ok()).isFalse();
        assertThat(r.lastErrorLine()).contains("no-such-program-pgm");
    }

    @Test
    void timeoutIsOneLineNamingTheProgram() {
        assertThatThrownBy(() -> new LocalShell(null).run(List.of("sleep", "10"), Duration.ofMillis(300)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("'sleep'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void streamedLinesArriveWhileTheProgramStillRuns() {
        List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> err = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] firstAt = new long[1];
        OutputListener listener = new OutputListener() {
            @Override
            public void onStdout(String line) {
                if (out.isEmpty()) {
                    firstAt[0] = System.nanoTime();
                }
                out.add(line);
            }

            @Override
            public void onStderr(String line) {
                err.add(line);
            }
        };
        CommandResult r = new LocalShell(null).run(List.of("sh", "-c", "echo first; echo warn >&2; sleep 2; echo second; exit 5"),
                T, listener);
        long end = System.nanoTime();
        assertThat(out).containsExactly("first", "second");
        assertThat(err).containsExactly("warn");
        assertThat(Duration.ofNanos(end - firstAt[0])).isGreaterThan(Duration.ofMillis(1500));
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.stdout()).isEqualTo("first\nsecond\n");
        assertThat(r.stderr()).isEqualTo("warn\n");
    }

    @Test
    void streamedResultKeepsOnlyTheLastMebibyte() {
        int[] count = new int[1];
        OutputListener listener = new OutputListener() {
            @Override
            public void onStdout(String line) {
                count[0]++;
            }

            @Override
            public void onStderr(String line) {
            }
        };
        CommandResult r = new LocalShell(null).run(List.of("seq", "1", "400000"), T, listener);
        assertThat(count[0]).isEqualTo(400000);
        assertThat(r.stdout().length()).isLessThanOrEqualTo(1024 * 1024);
        assertThat(r.stdout()).endsWith("\n400000\n");
        assertThat(r.stdout().lines().findFirst().orElseThrow()).matches("[0-9]+");
    }
}
