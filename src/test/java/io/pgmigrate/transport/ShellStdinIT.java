package io.pgmigrate.transport;

import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link HostShell#run(List, byte[], Duration)} on this machine and over SSH ({@link TestSshd}), with and without
 * become: the bytes arrive exactly, appear on no process's command line while the program runs, and large inputs
 * neither deadlock nor outlive the timeout.
 */
class ShellStdinIT {
    private static final Duration T = Duration.ofSeconds(60);

    /**
     * Saves stdin, takes its first line as the marker, counts the command lines of all processes on the host that
     * hold it (the marker itself goes into grep through a file), prints "seen=N" and the sha256 of stdin.
     * Extra arguments are only there to prove that the scan finds a marker that is on a command line.
     */
    private static final String PROBE = """
            d=$(mktemp -d) || exit 9
            cat > "$d/in" || exit 8
            head -n 1 "$d/in" > "$d/marker"
            n=$(for f in /proc/[0-9]*/cmdline; do { tr '\\000' '\\n' < "$f"; } 2>/dev/null; echo; done | grep -c -F -f "$d/marker")
            echo "seen=$n"
            sha256sum < "$d/in" | cut -c1-64
            rm -rf "$d"
            """;

    private static HostShell shell(String kind) {
        boolean become = kind.endsWith("-become");
        if (become) {
            assumeTrue(OsUser.isRoot(), "become needs passwordless sudo, which root has: skipped when not root");
        }
        String as = become ? OsUser.POSTGRES : null;
        return kind.startsWith("ssh")
                ? new SshShell(TestSshd.shared().host("root", as), TransportOptions.defaults())
                : new LocalShell(as);
    }

    /** Marker line first, then quotes, $, backticks, backslashes, CR, tabs, non-ASCII, every byte but NUL, no final newline. */
    private static byte[] awkwardPayload(String marker) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String text = marker + "\n"
                + "it's \"quoted\" 'twice' $HOME ${USER} `id -un` $(id -un) \\ \\\\ \\n %s %% -- -n\n"
                + "\n\n  leading spaces; a && b | c > /tmp/x < y * ? [a] ~ ! #\r\n"
                + "tab\there Größe Δ 数据 😀\n"
                + "password=s3cr3t'\"$;\n";
        b.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i < 256; i++) {
            b.write(i);
        }
        b.writeBytes("\nlast line without newline $".getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "local-become", "ssh", "ssh-become"})
    void bytesArriveExactlyAndAreOnNoCommandLine(String kind) throws Exception {
        String marker = "pgm-secret-" + UUID.randomUUID();
        byte[] payload = awkwardPayload(marker);
        try (HostShell sh = shell(kind)) {
            CommandResult r = sh.run(List.of("sh", "-c", PROBE, "sh"), payload, T);
            assertThat(r.stderr()).isEmpty();
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo("seen=0\n" + sha256(payload) + "\n");

            // the scan does see a marker that is on a command line (here the program's own argument)
            CommandResult control = sh.run(List.of("sh", "-c", PROBE, "sh", marker), payload, T);
            assertThat(control.exitCode()).isZero();
            assertThat(control.stdout()).startsWith("seen=").doesNotStartWith("seen=0\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void textComesBackUnchanged(String kind) {
        String text = "line1\n'$x' \"y\" `z` \\\n\nGröße 数据\nno newline at the end";
        try (HostShell sh = shell(kind)) {
            CommandResult r = sh.run(List.of("cat"), text.getBytes(StandardCharsets.UTF_8), T);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo(text);
            assertThat(sh.run(List.of("cat"), new byte[0], T).stdout()).isEmpty();
        }
    }

    /** 5 MiB in while the program first writes 3 MB out before it reads: neither side may wait for the other. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh", "ssh-become"})
    void largeInputWhileTheProgramWritesFirstDoesNotDeadlock(String kind) throws Exception {
        byte[] payload = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        try (HostShell sh = shell(kind)) {
            long start = System.nanoTime();
            CommandResult r = sh.run(List.of("sh", "-c", "yes pgmigrate | head -c 3000000; echo; sha256sum | cut -c1-64"),
                    payload, T);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).hasSize(3000000 + 1 + 65).endsWith("\n" + sha256(payload) + "\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void programThatReadsNoInputEndsNormally(String kind) {
        byte[] payload = new byte[5 * 1024 * 1024];
        try (HostShell sh = shell(kind)) {
            CommandResult r = sh.run(List.of("sh", "-c", "echo done; exit 3"), payload, T);
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stdout()).isEqualTo("done\n");
            // the shell is still good for the next command
            assertThat(sh.run(List.of("echo", "next"), T).stdout()).isEqualTo("next\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void timeoutHoldsWhenTheProgramDoesNotRead(String kind) {
        byte[] payload = new byte[5 * 1024 * 1024];
        try (HostShell sh = shell(kind)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> sh.run(List.of("sleep", "60"), payload, Duration.ofSeconds(1)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("'sleep'")
                    .hasMessageContaining("did not finish within");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void argvOnlyRunIsUnchanged(String kind) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "wc -c; echo \"$1\"", "sh", "arg"));
        try (HostShell sh = shell(kind)) {
            CommandResult r = sh.run(argv, T);
            assertThat(r.stdout().strip()).isEqualTo("0\narg");
        }
    }
}
