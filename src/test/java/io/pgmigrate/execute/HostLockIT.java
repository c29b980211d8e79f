package io.pgmigrate.execute;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.LocalShell;
import io.pgmigrate.transport.SshShell;
import io.pgmigrate.transport.TransportOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link HostLock} on this machine and over SSH (as root) to the real test sshd: one holder at a time, a killed
 * holder leaves no lock, --break-lock, and nothing planted by another user is trusted.
 */
class HostLockIT {
    private static final Instant SINCE = Instant.parse("2025-01-02T03:04:05Z");

    private Path tmp;
    private String workDir;
    private final List<HostShell> shells = new ArrayList<>();
    private final StringWriter said = new StringWriter();
    private final PrintWriter out = new PrintWriter(said, true);

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(OsUser.isRoot(), "the lock tests log in as root and plant files of another user: skipped");
        tmp = Files.createTempDirectory(Path.of("/tmp"), "pgm-hostlock-");
        workDir = tmp.resolve("work/state").toString();
    }

    @AfterEach
    void tearDown() {
        shells.forEach(HostShell::close);
        if (tmp != null) {
            PgCluster.deleteTree(tmp);
        }
    }

    private HostShell shell(String where) {
        HostShell sh = where.equals("local") ? new LocalShell(null)
                : new SshShell(TestSshd.shared().host("root", null), TransportOptions.defaults());
        shells.add(sh);
        return sh;
    }

    private static HostLock.Holder holder(String host, long pid) {
        return new HostLock.Holder(host, "alice", pid, "sha256:0123abcd", SINCE);
    }

    private String lockPath(HostShell sh) {
        return sh.describe() + ":" + workDir + "/execution.lock";
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void aSecondAcquisitionIsRefusedNamingTheHolder(String where) throws IOException {
        HostShell first = shell(where);
        HostShell second = shell(where);
        long start = System.nanoTime();
        try (HostLock lock = HostLock.acquire(first, workDir, holder("ctl-a", 4242), false, out)) {
            assertThat(lock.held()).isTrue();
            assertThat(said.toString()).isEmpty();
            assertThat(Files.getPosixFilePermissions(Path.of(workDir))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            Map<String, String> record = record();
            assertThat(record).containsEntry("controllerHost", "ctl-a").containsEntry("controllerUser", "alice")
                    .containsEntry("controllerPid", "4242").containsEntry("planDigest", "sha256:0123abcd")
                    .containsEntry("since", "2025-01-02T03:04:05Z").containsKey("hostPid");
            assertThatThrownBy(() -> HostLock.acquire(second, workDir, holder("ctl-b", 77), false, out))
                    .isInstanceOf(PgMigrateException.class)
                    .hasMessage("this plan is being executed right now from ctl-a by alice (pid 4242, plan sha256:0123abcd,"
                            + " since 2025-01-02T03:04:05Z); lock " + lockPath(second) + ". Wait for it (pgmigrate status),"
                            + " or if that controller is gone for good, run again with --break-lock")
                    .extracting(e -> ((PgMigrateException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        }
        // released: the next one takes it, and learns whose lock it was
        try (HostLock lock = HostLock.acquire(second, workDir, holder("ctl-b", 77), false, out)) {
            assertThat(lock.held()).isTrue();
            assertThat(said.toString()).isEqualTo("took over the execution lock on " + second.describe()
                    + ": its last holder (ctl-a pid 4242, since 2025-01-02T03:04:05Z) has ended\n");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void aKilledHolderLeavesNoLockBehind(String where) throws Exception {
        HostShell sh = shell(where);
        Process child = holdInChildJvm(where);
        try {
            assertThatThrownBy(() -> HostLock.acquire(sh, workDir, holder("ctl-b", 77), false, out))
                    .hasMessageStartingWith("this plan is being executed right now from child-host by child-user (pid "
                            + child.pid() + ", plan sha256:child");
            String hostPid = record().get("hostPid");
            child.destroyForcibly(); // SIGKILL: no close(), no shutdown hook
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(awaitGone(Long.parseLong(hostPid))).as("the child's lock shell on the host ended").isTrue();
        } finally {
            child.destroyForcibly();
        }
        try (HostLock lock = HostLock.acquire(sh, workDir, holder("ctl-b", 77), false, out)) {
            assertThat(lock.held()).isTrue();
            assertThat(said.toString()).startsWith("took over the execution lock on " + sh.describe()
                    + ": its last holder (child-host pid " + child.pid() + ", since ").endsWith(") has ended\n");
        }
    }

    @Test
    void breakLockEndsALiveHolderAndTakesTheLock() throws Exception {
        HostShell first = shell("ssh");
        HostShell second = shell("ssh");
        HostLock old = HostLock.acquire(first, workDir, holder("ctl-a", 4242), false, out);
        try {
            long oldShell = Long.parseLong(record().get("hostPid"));
            try (HostLock lock = HostLock.acquire(second, workDir, holder("ctl-b", 77), true, out)) {
                assertThat(lock.held()).isTrue();
                assertThat(said.toString()).isEqualTo("broke the execution lock on " + second.describe()
                        + ": it was held from ctl-a by alice (pid 4242, plan sha256:0123abcd, since 2025-01-02T03:04:05Z);"
                        + " its process " + oldShell + " there was ended\n");
                assertThat(awaitGone(oldShell)).as("the old holder's lock shell ended").isTrue();
                assertThat(awaitNotHeld(old)).as("the old holder learns that its lock is gone").isTrue();
                assertThat(record()).containsEntry("controllerHost", "ctl-b");
            }
        } finally {
            old.close();
        }
    }

    @Test
    void aLockHeldByAnotherProgramIsNeitherTakenNorBroken() throws Exception {
        Files.createDirectories(Path.of(workDir));
        Files.setPosixFilePermissions(Path.of(workDir), PosixFilePermissions.fromString("rwx------"));
        String lockFile = workDir + "/execution.lock";
        Process foreign = new ProcessBuilder("flock", lockFile, "sleep", "60").start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (OsUser.run(List.of("flock", "-n", lockFile, "true"), true).exitCode() == 0) {
                assertThat(System.nanoTime()).as("flock took the lock").isLessThan(deadline);
                Thread.sleep(20);
            }
            HostShell sh = shell("local");
            assertThatThrownBy(() -> HostLock.acquire(sh, workDir, holder("ctl-a", 4242), false, out))
                    .hasMessage("this plan is being executed right now by a holder that left no record; lock "
                            + lockPath(sh) + ". Wait for it (pgmigrate status), or if that controller is gone for good,"
                            + " run again with --break-lock");
            assertThatThrownBy(() -> HostLock.acquire(sh, workDir, holder("ctl-a", 4242), true, out))
                    .hasMessage("cannot take the execution lock " + lockPath(sh) + ": cannot break the lock " + lockFile
                            + ": its holder record " + lockFile + ".holder names no process (find the holder: fuser -v "
                            + lockFile + ")");
            assertThat(foreign.isAlive()).as("nothing but pgmigrate's own lock shell is ever killed").isTrue();
        } finally {
            foreign.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "ssh"})
    void aPlantedSymlinkIsRefused(String where) throws IOException {
        Files.createDirectories(Path.of(workDir));
        Files.setPosixFilePermissions(Path.of(workDir), PosixFilePermissions.fromString("rwx------"));
        Path lockFile = Path.of(workDir, "execution.lock");
        Files.createSymbolicLink(lockFile, Path.of("/etc/passwd"));
        String passwd = Files.readString(Path.of("/etc/passwd"));
        HostShell sh = shell(where);
        assertThatThrownBy(() -> HostLock.acquire(sh, workDir, holder("ctl-a", 4242), false, out))
                .isInstanceOf(PgMigrateException.class)
                .hasMessage("cannot take the execution lock " + lockPath(sh) + ": " + lockFile + " is a symbolic link,"
                        + " and pgmigrate trusts nothing there that another user could have planted (check it and remove it,"
                        + " or choose another work directory)");
        assertThat(Files.readString(Path.of("/etc/passwd"))).isEqualTo(passwd);
    }

    @Test
    void aLockFileOfAnotherUserIsRefused() throws IOException {
        Files.createDirectories(Path.of(workDir));
        Path lockFile = Files.createFile(Path.of(workDir, "execution.lock"));
        OsUser.run(List.of("chown", OsUser.POSTGRES, lockFile.toString()), false);
        HostShell sh = shell("ssh");
        assertThatThrownBy(() -> HostLock.acquire(sh, workDir, holder("ctl-a", 4242), false, out))
                .isInstanceOf(PgMigrateException.class)
                .hasMessageStartingWith("cannot take the execution lock " + lockPath(sh) + ": " + lockFile
                        + " is not owned by root, and pgmigrate trusts nothing there")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aWorkDirectoryOthersCanWriteIsRefused() throws IOException {
        Files.createDirectories(Path.of(workDir));
        Files.setPosixFilePermissions(Path.of(workDir), PosixFilePermissions.fromString("rwxrwxrwx"));
        HostShell sh = shell("local");
        assertThatThrownBy(() -> HostLock.acquire(sh, workDir, holder("ctl-a", 4242), false, out))
                .hasMessageStartingWith("cannot take the execution lock " + lockPath(sh) + ": " + workDir
                        + " is writable by users other than root, and pgmigrate trusts nothing there");
    }

    private Map<String, String> record() throws IOException {
        return Files.readAllLines(Path.of(workDir, "execution.lock.holder")).stream()
                .map(l -> l.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }

    private static boolean awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static boolean awaitNotHeld(HostLock lock) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lock.held() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return !lock.held();
    }

    /** A child JVM ({@link #main}) that takes the lock and holds it until it is killed; returns once it holds it. */
    private Process holdInChildJvm(String where) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HostLockIT.class.getName(), workDir, where));
        if (where.equals("ssh")) {
            TestSshd sshd = TestSshd.shared();
            argv.addAll(List.of(Integer.toString(sshd.port()), sshd.clientKey().toString(), sshd.knownHosts().toString()));
        }
        Process child = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (!"locked".equals(line)) {
            child.destroyForcibly();
            throw new IllegalStateException("the child JVM did not take the lock: " + line);
        }
        return child;
    }

    /** The child JVM: WORKDIR local|ssh [PORT KEY KNOWN_HOSTS]; takes the lock, says "locked", waits to be killed. */
    public static void main(String[] args) throws InterruptedException {
        HostShell sh = args[1].equals("local") ? new LocalShell(null)
                : new SshShell(new Inventory.Host("127.0.0.1",
                        new Inventory.Ssh("root", Integer.parseInt(args[2]), Path.of(args[3]), Path.of(args[4])), null),
                        TransportOptions.defaults());
        PrintWriter stderr = new PrintWriter(System.err, true);
        HostLock.acquire(sh, args[0], new HostLock.Holder("child-host", "child-user", ProcessHandle.current().pid(),
                "sha256:child", Instant.now()), false, stderr);
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(2));
        System.exit(1);
    }
}
