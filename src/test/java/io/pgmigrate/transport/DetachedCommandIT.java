package io.pgmigrate.transport;

import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.transport.DetachedCommand.Started;
import io.pgmigrate.transport.DetachedCommand.State;
import io.pgmigrate.transport.DetachedCommand.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link DetachedCommand} over the test sshd (as postgres, and as root becoming postgres) and on
 * this machine: outcomes survive a closed connection, a name never runs twice, stop, LOST.
 */
class DetachedCommandIT {
    private static final Duration AWAIT = Duration.ofSeconds(30);

    private Path tmp;
    private String stateDir;
    private final io.pgmigrate.testing.CollectedLines collect = new io.pgmigrate.testing.CollectedLines();
    private final List<String> lines = collect.lines();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(OsUser.isRoot(), "runs as root (sshd, become postgres): skipped");
        tmp = Files.createTempDirectory("pgm-detached-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        OsUser.chownToOwner(tmp);
        stateDir = tmp.resolve("state 'dir' $x").toString();
    }

    @AfterEach
    void tearDown() {
        if (tmp != null) {
            PgCluster.deleteTree(tmp);
        }
    }

    private static HostShell shell(String kind) {
        return switch (kind) {
            case "ssh" -> new SshShell(TestSshd.shared().host(OsUser.POSTGRES, null), TransportOptions.defaults());
            case "ssh-become" -> new SshShell(TestSshd.shared().host("root", OsUser.POSTGRES), TransportOptions.defaults());
            case "local" -> new LocalShell(OsUser.POSTGRES);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh", "ssh-become", "local"})
    void outcomeSurvivesTheConnectionAndANameNeverRunsTwice(String kind) throws Exception {
        Path counter = tmp.resolve("counter");
        List<String> argv = List.of("sh", "-c", "echo run >> \"$1\"; echo begin; sleep 3; echo done >&2; exit 7",
                "sh", counter.toString());
        try (HostShell sh = shell(kind)) {
            Started s = DetachedCommand.on(sh, stateDir, "upgrade").start(argv, tmp.toString());
            assertThat(s.now()).isTrue();
            assertThat(s.status()).isEqualTo(Status.RUNNING);
        }
        try (HostShell sh = shell(kind)) {
            DetachedCommand c = DetachedCommand.on(sh, stateDir, "upgrade");
            assertThat(c.status()).isEqualTo(Status.RUNNING);
            Started again = c.start(argv, tmp.toString());
            assertThat(again.now()).isFalse();
            assertThat(again.status()).isEqualTo(Status.RUNNING);

            assertThat(c.await(AWAIT, collect)).isEqualTo(Status.finished(7));
            assertThat(lines).containsExactly("begin", "done");
            assertThat(c.status().toString()).isEqualTo("FINISHED(7)");

            Started third = c.start(argv, tmp.toString());
            assertThat(third.now()).isFalse();
            assertThat(third.status()).isEqualTo(Status.finished(7));
        }
        Thread.sleep(300);
        assertThat(Files.readAllLines(counter)).containsExactly("run");
        assertThat(Files.getPosixFilePermissions(Path.of(stateDir))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(Path.of(stateDir, "upgrade.rc"))).isEqualTo("7\n");
        assertThat(Files.exists(Path.of(stateDir, "upgrade.rc.tmp"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh", "local"})
    void argumentsAndWorkingDirectoryReachTheProgramUnchanged(String kind) throws IOException {
        Path work = tmp.resolve("work dir 'q' \"x\" $HOME `id`");
        Files.createDirectories(work);
        OsUser.chownToOwner(tmp);
        List<String> awkward = List.of("/tmp/dir with spaces/file", "it's", "'", "\"double\"", "$HOME", "${USER}",
                "`id -un`", "$(id -un)", "a;b", "a && b", "x|y", "line1\nline2", "tab\tx", "", " ", "*", "~", "\\",
                "!", "-n", "--", "%s", "A=b", "Größe Δ 数据");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "pwd; printf '%s\\n' \"$@\"", "sh"));
        argv.addAll(awkward);
        try (HostShell sh = shell(kind)) {
            DetachedCommand c = DetachedCommand.on(sh, stateDir, "args");
            c.start(argv, work.toString());
            assertThat(c.await(AWAIT, collect)).isEqualTo(Status.finished(0));
        }
        StringBuilder expected = new StringBuilder(work + "\n");
        awkward.forEach(a -> expected.append(a).append('\n'));
        assertThat(String.join("\n", lines) + "\n").isEqualTo(expected.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh", "local"})
    void stopEndsTheProgramAndItsStatusIsRecorded(String kind) throws Exception {
        String marker = "301.7" + ProcessHandle.current().pid();
        try (HostShell sh = shell(kind)) {
            DetachedCommand c = DetachedCommand.on(sh, stateDir, "long");
            c.start(List.of("sh", "-c", "echo sleeping; sleep " + marker + "; echo not stopped"), tmp.toString());
            String pid = Files.readString(Path.of(stateDir, "long.pid")).split(" ")[0];
            assertThat(OsUser.run(List.of("ps", "-o", "sid=,pgid=", "-p", pid), false).output().trim().split(" +"))
                    .as("its own session and process group").containsExactly(pid, pid);
            assertThat(c.stop()).isEqualTo(Status.RUNNING);
            Status end = c.await(Duration.ofSeconds(10), collect);
            assertThat(end.state()).isEqualTo(State.FINISHED);
            assertThat(end.exitCode()).isEqualTo(143);
            assertThat(lines).startsWith("sleeping").doesNotContain("not stopped"); // the shell may add "Terminated"
            assertThat(c.stop()).isEqualTo(end);
        }
        assertThat(OsUser.run(List.of("pgrep", "-f", marker), true).exitCode()).as("sleep is gone").isNotZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh", "local"})
    void killedBeforeWritingItsStatusIsLostAndForgetAllowsARerun(String kind) throws Exception {
        String marker = "302.7" + ProcessHandle.current().pid();
        try (HostShell sh = shell(kind)) {
            DetachedCommand c = DetachedCommand.on(sh, stateDir, "doomed");
            assertThat(c.status()).isEqualTo(Status.NOT_STARTED);
            c.start(List.of("sleep", marker), tmp.toString());
            String pid = Files.readString(Path.of(stateDir, "doomed.pid")).split(" ")[0];
            OsUser.run(List.of("kill", "-9", "--", "-" + pid), false);
            Thread.sleep(300);
            assertThat(c.status()).isEqualTo(Status.LOST);

            Started again = c.start(List.of("sleep", marker), tmp.toString());
            assertThat(again.now()).isFalse();
            assertThat(again.status()).isEqualTo(Status.LOST);
            assertThat(c.await(AWAIT, collect)).isEqualTo(Status.LOST);

            c.forget();
            assertThat(c.status()).isEqualTo(Status.NOT_STARTED);
            Started rerun = c.start(List.of("echo", "second life"), tmp.toString());
            assertThat(rerun.now()).isTrue();
            assertThat(c.await(AWAIT, collect)).isEqualTo(Status.finished(0));
            assertThat(lines).containsExactly("second life");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh", "local"})
    void forgettingARunningProgramIsRefused(String kind) {
        try (HostShell sh = shell(kind)) {
            DetachedCommand c = DetachedCommand.on(sh, stateDir, "busy");
            c.start(List.of("sleep", "30"), tmp.toString());
            assertThatThrownBy(c::forget)
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("detached 'busy'")
                    .hasMessageContaining(sh.describe());
            c.stop();
            assertThat(c.await(AWAIT, collect).state()).isEqualTo(State.FINISHED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh", "local"})
    void missingWorkingDirectoryFinishesWith125(String kind) {
        try (HostShell sh = shell(kind)) {
            DetachedCommand c = DetachedCommand.on(sh, stateDir, "nowhere");
            c.start(List.of("true"), tmp.resolve("missing").toString());
            assertThat(c.await(AWAIT, collect)).isEqualTo(Status.finished(125));
            assertThat(lines).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh", "local"})
    void unusableStateDirectoryIsOneLineNamingHostAndProgram(String kind) {
        try (HostShell sh = shell(kind)) {
            DetachedCommand c = DetachedCommand.on(sh, "/proc/pgmigrate-state", "x");
            assertThatThrownBy(() -> c.start(List.of("pg_upgrade", "--check"), "/tmp"))
                    .isInstanceOf(TransportException.class)
                    .hasMessageStartingWith("cannot start 'pg_upgrade' (detached 'x') on " + sh.describe())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh", "local"})
    void concurrentStartsLaunchItOnce(String kind) throws Exception {
        Path counter = tmp.resolve("counter");
        List<String> argv = List.of("sh", "-c", "echo run >> \"$1\"; sleep 1", "sh", counter.toString());
        try (HostShell sh = shell(kind)) {
            List<Started> starts = java.util.stream.IntStream.range(0, 6).parallel()
                    .mapToObj(i -> DetachedCommand.on(sh, stateDir, "once").start(argv, tmp.toString()))
                    .toList();
            assertThat(starts).filteredOn(Started::now).hasSize(1);
            assertThat(starts).allSatisfy(st -> assertThat(st.status().state()).isIn(State.RUNNING, State.FINISHED));
            assertThat(DetachedCommand.on(sh, stateDir, "once").await(AWAIT, collect)).isEqualTo(Status.finished(0));
        }
        assertThat(Files.readAllLines(counter)).containsExactly("run");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh", "local"})
    void awaitThatTimesOutSaysRunningAndTheNextContinuesTheOutput(String kind) {
        try (HostShell sh = shell(kind)) {
            DetachedCommand c = DetachedCommand.on(sh, stateDir, "slow");
            c.start(List.of("sh", "-c", "echo one; sleep 2; echo two"), tmp.toString());
            long t0 = System.nanoTime();
            assertThat(c.await(Duration.ofMillis(800), collect)).isEqualTo(Status.RUNNING);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(lines).containsExactly("one");
            assertThat(c.await(AWAIT, collect)).isEqualTo(Status.finished(0));
            assertThat(lines).containsExactly("one", "two");
        }
    }

    /** A recycled pid is not mistaken for the program: the pid file also holds the process start time. */
    @org.junit.jupiter.api.Test
    void aReusedPidIsNotTakenForTheProgram() throws IOException {
        long pid = ProcessHandle.current().pid();
        String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
        Path dir = Files.createDirectories(Path.of(stateDir));
        OsUser.chownToOwner(tmp);
        Files.writeString(dir.resolve("imposter.started"), "");
        try (HostShell sh = shell("local")) {
            DetachedCommand c = DetachedCommand.on(sh, stateDir, "imposter");
            Files.writeString(dir.resolve("imposter.pid"), pid + " " + stat[19] + "\n");
            assertThat(c.status()).isEqualTo(Status.RUNNING);
            Files.writeString(dir.resolve("imposter.pid"), pid + " 1\n");
            assertThat(c.status()).isEqualTo(Status.LOST);
        }
    }
}
