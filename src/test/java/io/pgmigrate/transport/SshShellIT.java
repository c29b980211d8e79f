package io.pgmigrate.transport;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SshShell} against a real OpenSSH server on 127.0.0.1 ({@link TestSshd}). */
class SshShellIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final List<String> AWKWARD = List.of(
            "/tmp/dir with spaces/file", "it's", "'", "\"double\"", "$HOME", "${USER}", "`id -un`", "$(id -un)",
            "a;b", "a && b", "x|y", "line1\nline2", "tab\tx", "", " ", "*", "~", "\\", "!", "-n", "--", "%s",
            "A=b", "Größe Δ 数据 😀");

    private TestSshd sshd;
    private Path tmp;

    @BeforeEach
    void setUp() throws IOException {
        sshd = TestSshd.shared();
        tmp = Files.createTempDirectory("pgm-sshit-");
    }

    @AfterEach
    void tearDown() {
        PgCluster.deleteTree(tmp);
    }

    private static SshShell shell(Inventory.Host host) {
        return new SshShell(host, TransportOptions.defaults());
    }

    private static SshShell shell(Inventory.Host host, boolean acceptNew) {
        return new SshShell(host, TransportOptions.defaults().withAcceptNewHostKey(acceptNew));
    }

    private static List<String> printfEach(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\n"));
        argv.addAll(args);
        return argv;
    }

    private static String expectedPrintf(List<String> args) {
        StringBuilder sb = new StringBuilder();
        args.forEach(a -> sb.append(a).append('\n'));
        return sb.toString();
    }

    @Test
    void awkwardArgumentsReachTheRemoteProgramUnchanged() {
        try (SshShell sh = shell(sshd.host("root", null))) {
            CommandResult r = sh.run(printfEach(AWKWARD), T);
            assertThat(r.stderr()).isEmpty();
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo(expectedPrintf(AWKWARD));
        }
    }

    @Test
    void awkwardArgumentsSurviveSudoToo() {
        try (SshShell sh = shell(sshd.host("root", "postgres"))) {
            CommandResult r = sh.run(printfEach(AWKWARD), T);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo(expectedPrintf(AWKWARD));
        }
    }

    @Test
    void pathWithSpacesAndQuotesIsOnePath() throws IOException {
        Path dir = tmp.resolve("data dir 'quoted' \"x\" $HOME");
        Path file = dir.resolve("pg_hba.conf; rm -rf ~");
        try (SshShell sh = shell(sshd.host("root", null))) {
            assertThat(sh.run(List.of("mkdir", "-p", dir.toString()), T).exitCode()).isZero();
            assertThat(sh.run(List.of("touch", file.toString()), T).exitCode()).isZero();
            CommandResult ls = sh.run(List.of("ls", "-1", dir.toString()), T);
            assertThat(ls.stdout()).isEqualTo("pg_hba.conf; rm -rf ~\n");
        }
        assertThat(Files.isRegularFile(file)).isTrue();
        try (var list = Files.list(tmp)) {
            assertThat(list.count()).isEqualTo(1);
        }
    }

    @Test
    void exitStatusStdoutAndStderrAreKeptApart() {
        try (SshShell sh = shell(sshd.host("root", null))) {
            CommandResult r = sh.run(List.of("sh", "-c", "echo out; echo err >&2; echo é数据; exit 3"), T);
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stdout()).isEqualTo("out\né数据\n");
            assertThat(r.stderr()).isEqualTo("err\n");
            assertThat(r.lastErrorLine()).isEqualTo("err");

            CommandResult missing = sh.run(List.of("no-such-program-pgm"), T);
            assertThat(missing.exitCode()).isEqualTo(127);
            assertThat(missing.stderr()).contains("no-such-program-pgm");
        }
    }

    @Test
    void largeOutputIsCapturedInFullAndStdinIsEmpty() {
        try (SshShell sh = shell(sshd.host("root", null))) {
            CommandResult r = sh.run(List.of("sh", "-c", "seq 1 400000; seq 1 100000 >&2"), T);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout().lines().count()).isEqualTo(400000);
            assertThat(r.stdout()).endsWith("\n400000\n");
            assertThat(r.stderr().lines().count()).isEqualTo(100000);

            CommandResult cat = sh.run(List.of("cat"), Duration.ofSeconds(10));
            assertThat(cat.exitCode()).isZero();
            assertThat(cat.stdout()).isEmpty();
        }
    }

    @Test
    void manyCommandsShareOneConnection() {
        try (SshShell sh = shell(sshd.host("root", null))) {
            sh.run(List.of("true"), T);
            var session = sh.connection().session();
            for (int i = 0; i < 20; i++) {
                assertThat(sh.run(List.of("echo", Integer.toString(i)), T).stdout()).isEqualTo(i + "\n");
            }
            assertThat(sh.connection().session()).isSameAs(session);
            assertThat(sh.connection().generation()).isEqualTo(1);
        }
    }

    @Test
    void parallelCommandsBeyondMaxSessionsWaitTheirTurn() {
        try (SshShell sh = shell(sshd.host("root", null))) {
            List<String> outs = java.util.stream.IntStream.range(0, 24).parallel()
                    .mapToObj(i -> sh.run(List.of("sh", "-c", "sleep 0.2; echo " + i), T).stdout().strip())
                    .toList();
            assertThat(outs).hasSize(24).doesNotHaveDuplicates();
        }
    }

    @Test
    void droppedConnectionIsReopened() {
        try (SshShell sh = shell(sshd.host("root", null))) {
            assertThat(sh.run(List.of("true"), T).ok()).isTrue();
            sh.connection().session().disconnect();
            assertThat(sh.run(List.of("echo", "again"), T).stdout()).isEqualTo("again\n");
            assertThat(sh.connection().generation()).isEqualTo(2);
        }
    }

    /** root logins: sshd refuses signals, the host-side timeout stops it; postgres: the signal does. */
    @ParameterizedTest
    @ValueSource(strings = {"root", "postgres"})
    void timeoutStopsTheProgramAndNamesHostAndProgram(String user) throws Exception {
        String marker = "31.4159" + ProcessHandle.current().pid();
        try (SshShell sh = shell(sshd.host(user, null))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> sh.run(List.of("sh", "-c", "sleep " + marker + "; echo not stopped"),
                    Duration.ofSeconds(1)))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("'sh' on " + user + "@127.0.0.1:" + sshd.port() + " did not finish within 1s; it was stopped"
                            + " (raise the timeout if it needs longer)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(waitUntilGone(marker)).as("remote sleep was stopped").isTrue();
            // the connection is still good for the next command
            assertThat(sh.run(List.of("echo", "ok"), T).stdout()).isEqualTo("ok\n");
        }
    }

    @Test
    void timeoutAsAnotherUserThroughSudo() throws Exception {
        String marker = "27.1828" + ProcessHandle.current().pid();
        try (SshShell sh = shell(sshd.host("root", "postgres"))) {
            assertThatThrownBy(() -> sh.run(List.of("sleep", marker), Duration.ofSeconds(1)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("'sleep' on root@127.0.0.1:" + sshd.port() + " (as postgres) did not finish within 1s");
            assertThat(waitUntilGone(marker)).as("remote sleep was stopped").isTrue();
        }
    }

    private static boolean waitUntilGone(String marker) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (OsUser.run(List.of("pgrep", "-f", marker), true).exitCode() != 0) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void rsaKeyAuthenticates() {
        Inventory.Host host = sshd.host("root", null, sshd.rsaClientKey(), sshd.knownHosts());
        try (SshShell sh = shell(host)) {
            assertThat(sh.run(List.of("id", "-un"), T).stdout()).isEqualTo("root\n");
        }
        assertThat(sshd.log()).contains("Accepted publickey for root").contains("RSA SHA256:");
    }

    @Test
    void loginAsPostgresWithoutBecome() {
        try (SshShell sh = shell(sshd.host(OsUser.POSTGRES, null))) {
            assertThat(sh.run(List.of("id", "-un"), T).stdout()).isEqualTo("postgres\n");
        }
    }

    @Test
    void becomeRunsEveryCommandAsThatUser() {
        try (SshShell sh = shell(sshd.host("root", "postgres"))) {
            assertThat(sh.describe()).isEqualTo("root@127.0.0.1:" + sshd.port() + " (as postgres)");
            assertThat(sh.run(List.of("id", "-un"), T).stdout()).isEqualTo("postgres\n");
            assertThat(sh.run(List.of("sh", "-c", "id -un"), T).stdout()).isEqualTo("postgres\n");
        }
    }

    @Test
    void becomeWithoutSudoRightsIsOneClearLine() {
        try (SshShell sh = shell(sshd.host(OsUser.POSTGRES, "root"))) {
            assertThatThrownBy(() -> sh.run(List.of("id", "-un"), T))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("sudo on postgres@127.0.0.1:" + sshd.port())
                    .hasMessageContaining("'id'")
                    .hasMessageContaining("NOPASSWD")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void unknownHostKeyIsRefusedWithItsFingerprint() throws IOException {
        Path known = tmp.resolve("known_hosts");
        Files.writeString(known, "");
        try (SshShell sh = shell(sshd.host("root", null, sshd.clientKey(), known))) {
            assertThatThrownBy(() -> sh.run(List.of("true"), T))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("root@127.0.0.1:" + sshd.port())
                    .hasMessageContaining("ssh-ed25519 " + sshd.hostKeyFingerprint())
                    .hasMessageContaining("ssh-keyscan -p " + sshd.port() + " -t ed25519 127.0.0.1")
                    .hasMessageContaining("--accept-new-host-key")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(Files.readString(known)).isEmpty();
    }

    @Test
    void acceptNewHostKeyAddsItToKnownHosts() throws IOException {
        Path known = tmp.resolve("new/.ssh/known_hosts");
        try (SshShell sh = shell(sshd.host("root", null, sshd.clientKey(), known), true)) {
            assertThat(sh.run(List.of("echo", "hi"), T).stdout()).isEqualTo("hi\n");
        }
        assertThat(Files.readString(known)).isEqualTo(sshd.knownHostsName() + " " + sshd.hostKeyLine() + "\n");
        // from now on the key is known: strict checking passes
        try (SshShell sh = shell(sshd.host("root", null, sshd.clientKey(), known), false)) {
            assertThat(sh.run(List.of("echo", "hi"), T).stdout()).isEqualTo("hi\n");
        }
        // and its format is one OpenSSH reads
        CommandResult r = new LocalShell(null).run(List.of("ssh-keygen", "-F", sshd.knownHostsName(), "-f",
                known.toString()), T);
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void acceptNewKeepsExistingLinesAndAppendsOnANewLine() throws IOException {
        Path known = tmp.resolve("known_hosts");
        Files.writeString(known, "# my hosts\nexample.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
        try (SshShell sh = shell(sshd.host("root", null, sshd.clientKey(), known), true)) {
            sh.run(List.of("true"), T);
        }
        assertThat(Files.readAllLines(known)).containsExactly("# my hosts",
                "example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
                sshd.knownHostsName() + " " + sshd.hostKeyLine());
    }

    @Test
    void changedHostKeyIsRefusedEvenWithAcceptNew() throws IOException {
        Path other = tmp.resolve("other_host_key");
        OsUser.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()), false);
        String[] f = Files.readString(Path.of(other + ".pub")).split("\\s+");
        Path known = tmp.resolve("known_hosts");
        String content = sshd.knownHostsName() + " " + f[0] + " " + f[1] + "\n";
        Files.writeString(known, content);
        try (SshShell sh = shell(sshd.host("root", null, sshd.clientKey(), known), true)) {
            assertThatThrownBy(() -> sh.run(List.of("true"), T))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("root@127.0.0.1:" + sshd.port())
                    .hasMessageContaining("CHANGED")
                    .hasMessageContaining(sshd.hostKeyFingerprint())
                    .hasMessageContaining("ssh-keygen -R '" + sshd.knownHostsName() + "'")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(Files.readString(known)).isEqualTo(content);
    }

    @Test
    void hashedKnownHostsEntryIsRecognised() throws IOException {
        Path known = tmp.resolve("known_hosts");
        Files.copy(sshd.knownHosts(), known);
        OsUser.run(List.of("ssh-keygen", "-H", "-f", known.toString()), false);
        assertThat(Files.readString(known)).startsWith("|1|");
        try (SshShell sh = shell(sshd.host("root", null, sshd.clientKey(), known))) {
            assertThat(sh.run(List.of("echo", "hi"), T).stdout()).isEqualTo("hi\n");
        }
    }

    @Test
    void keyTheServerDoesNotAcceptIsOneLine() {
        Path stranger = tmp.resolve("stranger");
        OsUser.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString()), false);
        try (SshShell sh = shell(sshd.host("root", null, stranger, sshd.knownHosts()))) {
            assertThatThrownBy(() -> sh.run(List.of("true"), T))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("root@127.0.0.1:" + sshd.port())
                    .hasMessageContaining(stranger.toString())
                    .hasMessageContaining("authorized_keys")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void missingIdentityFileIsOneLine() {
        Path missing = tmp.resolve("no_such_key");
        try (SshShell sh = shell(sshd.host("root", null, missing, sshd.knownHosts()))) {
            assertThatThrownBy(() -> sh.run(List.of("true"), T))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining(missing.toString())
                    .hasMessageContaining("ssh.identity");
        }
    }

    @Test
    void connectionRefusedIsOneLine() {
        int closed = TestSshd.closedPort();
        Inventory.Host host = new Inventory.Host("127.0.0.1",
                new Inventory.Ssh("root", closed, sshd.clientKey(), sshd.knownHosts()), null);
        try (SshShell sh = shell(host)) {
            assertThatThrownBy(() -> sh.run(List.of("true"), T))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("cannot connect over SSH to root@127.0.0.1:" + closed + ": connection refused"
                            + " (is sshd running there and listening on port " + closed
                            + "? check the host address and ssh.port in the inventory)")
                    .extracting(e -> ((TransportException) e).exitCode().code()).isEqualTo(2);
        }
    }

    @Test
    void transportsPicksSshForARemoteHostAndLocalForLocal() {
        try (HostShell sh = Transports.shell(sshd.host("root", "postgres"), TransportOptions.defaults())) {
            assertThat(sh).isInstanceOf(SshShell.class);
            assertThat(sh.run(List.of("id", "-un"), T).stdout()).isEqualTo("postgres\n");
        }
        try (HostShell sh = Transports.shell(new Inventory.Host(Inventory.Host.LOCAL, null, null),
                TransportOptions.defaults())) {
            assertThat(sh).isInstanceOf(LocalShell.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "root"})
    void streamedLinesArriveWhileTheRemoteProgramStillRuns(String user) {
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
        try (SshShell sh = shell(sshd.host(user, null))) {
            CommandResult r = sh.run(List.of("sh", "-c", "echo first; echo warn >&2; sleep 2; printf 'second\\nno end'; exit 5"),
                    T, listener);
            long end = System.nanoTime();
            assertThat(out).containsExactly("first", "second", "no end");
            assertThat(err).containsExactly("warn");
            assertThat(Duration.ofNanos(end - firstAt[0])).isGreaterThan(Duration.ofMillis(1500));
            assertThat(r.exitCode()).isEqualTo(5);
            assertThat(r.stdout()).isEqualTo("first\nsecond\nno end");
            assertThat(r.stderr()).isEqualTo("warn\n");
        }
    }
}
