package io.pgmigrate.transport;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link HostShell#hold} on this machine and over SSH to the real test sshd: the first line, EOF on close, and a
 * program that ends when the JVM that held it is SIGKILLed (a child JVM running {@link #main}).
 */
class HeldCommandIT {
    private static final Duration START = Duration.ofSeconds(20);
    /** Prints its pid, then holds until EOF on stdin. */
    private static final List<String> HOLDER = List.of("sh", "-c", "echo $$; exec cat >/dev/null");

    private static HostShell shell(String where) {
        if (where.equals("local")) {
            return new LocalShell(null);
        }
        return new SshShell(TestSshd.shared().host("root", null), TransportOptions.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void theFirstLineArrivesAndCloseEndsTheProgramWithEof(String where) {
        try (HostShell sh = shell(where)) {
            long start = System.nanoTime();
            HeldCommand held = sh.hold(List.of("sh", "-c", "echo READY; cat >/dev/null; echo got-eof"), START);
            try {
                assertThat(held.firstLine()).isEqualTo("READY");
                assertThat(held.alive()).isTrue();
                assertThatThrownBy(held::exitCode).isInstanceOf(IllegalStateException.class);
                assertThat(held.awaitEnd(Duration.ofMillis(300))).as("it holds while stdin is open").isFalse();
            } finally {
                held.close();
            }
            assertThat(held.alive()).isFalse();
            assertThat(held.exitCode()).isZero();
            assertThat(held.stdout()).isEqualTo("READY\ngot-eof\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void aProgramThatEndsWithoutALineIsReportedAsEnded(String where) {
        try (HostShell sh = shell(where); HeldCommand held = sh.hold(List.of("sh", "-c", "echo oops >&2; exit 3"), START)) {
            assertThat(held.firstLine()).isNull();
            assertThat(held.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(held.alive()).isFalse();
            assertThat(held.exitCode()).isEqualTo(3);
            assertThat(held.stderr()).isEqualTo("oops\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void noLineWithinTheStartTimeoutStopsIt(String where) {
        try (HostShell sh = shell(where)) {
            assertThatThrownBy(() -> sh.hold(List.of("cat"), Duration.ofMillis(500)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageEndingWith(" wrote no line within 500ms; it was stopped")
                    .hasMessageStartingWith("'cat' on ");
        }
    }

    @Test
    void becomeHoldsAsThatUser() {
        assumeTrue(OsUser.isRoot(), "become needs passwordless sudo, which root has: skipped when not root");
        List<String> whoami = List.of("sh", "-c", "id -un; exec cat >/dev/null");
        try (HostShell local = new LocalShell(OsUser.POSTGRES); HeldCommand held = local.hold(whoami, START)) {
            assertThat(held.firstLine()).isEqualTo("postgres");
        }
        try (HostShell ssh = new SshShell(TestSshd.shared().host("root", "postgres"), TransportOptions.defaults());
             HeldCommand held = ssh.hold(whoami, START)) {
            assertThat(held.firstLine()).isEqualTo("postgres");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void theProgramEndsWhenTheJvmHoldingItIsKilled(String where) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HeldCommandIT.class.getName(), where));
        if (where.equals("ssh")) {
            TestSshd sshd = TestSshd.shared();
            argv.addAll(List.of(Integer.toString(sshd.port()), sshd.clientKey().toString(), sshd.knownHosts().toString()));
        }
        Process child = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long hostPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the child JVM's report").isNotNull().startsWith("held ");
            hostPid = Long.parseLong(line.substring("held ".length()));
            assertThat(ProcessHandle.of(hostPid).map(ProcessHandle::isAlive)).contains(true);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        long start = System.nanoTime();
        while (ProcessHandle.of(hostPid).map(ProcessHandle::isAlive).orElse(false)
                && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(hostPid).map(ProcessHandle::isAlive).orElse(false))
                .as("the held program %d outlived the JVM that held it", hostPid).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    /** The child JVM: holds {@link #HOLDER} (local, or over SSH as root: PORT KEY KNOWN_HOSTS), reports its pid, waits. */
    public static void main(String[] args) throws InterruptedException {
        HostShell sh = args[0].equals("local") ? new LocalShell(null)
                : new SshShell(new Inventory.Host("127.0.0.1",
                        new Inventory.Ssh("root", Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args[3])), null),
                        TransportOptions.defaults());
        HeldCommand held = sh.hold(HOLDER, START);
        System.out.println("held " + held.firstLine());
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(2));
        System.exit(1);
    }
}
