package io.pgmigrate.testing.hosts;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A database host of its own for a test: a container of the project's image (scripts/test-hosts.sh) with its own
 * filesystem, hostname, IP address and SSH host key, reached from the controller (the test JVM) by SSH on a port
 * published on 127.0.0.1. The toolchain's PostgreSQL builds are mounted read-only at the paths they have on the
 * controller, so the same binDir works on every host. The test client's key ({@link TestSshd#clientKey()}) logs in
 * as {@code postgres}. Without a host image (no Docker engine), a test that asks for a host is skipped.
 */
public final class TestHost implements AutoCloseable {
    private static final List<String> MOUNTED = List.of("/var/cache/pgmigrate/pg13", "/var/cache/pgmigrate/pg17",
            "/var/cache/pgmigrate/pg18", "/usr/lib/postgresql/15", "/usr/share/postgresql/15");

    private final GenericContainer<?> container;
    private final String name;

    private TestHost(GenericContainer<?> container, String name) {
        this.container = container;
        this.name = name;
    }

    /** Starts a host called {@code name} (its hostname, and its alias on the network). */
    @SuppressWarnings("resource")
    public static TestHost start(String name, Network network) {
        Assumptions.assumeTrue(Toolchain.hasHostImage(), "no test host image: scripts/test.sh builds it when Docker's"
                + " engine runs (it said why not)");
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(Toolchain.hostImage()))
                .withNetwork(network).withNetworkAliases(name)
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName(name))
                .withEnv("PGM_AUTHORIZED_KEY", publicKey(TestSshd.shared().clientKey()))
                .withExposedPorts(22)
                .waitingFor(Wait.forLogMessage(".*Server listening on 0\\.0\\.0\\.0 port 22.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(30)));
        for (String dir : MOUNTED) {
            if (Files.isDirectory(Path.of(dir))) {
                c.withFileSystemBind(dir, dir, BindMode.READ_ONLY);
            }
        }
        c.start();
        return new TestHost(c, name);
    }

    public String name() {
        return name;
    }

    /** The port on 127.0.0.1 that reaches this host's sshd. */
    public int sshPort() {
        return container.getMappedPort(22);
    }

    /** This host's ed25519 host key as "ssh-ed25519 AAAA…", read from the host itself. */
    public String hostKeyLine() {
        String[] f = exec("cat", "/etc/ssh/ssh_host_ed25519_key.pub").strip().split("\\s+");
        return f[0] + " " + f[1];
    }

    /** Writes a known_hosts file with exactly this host's real key, under its published address. */
    public Path knownHosts(Path dir) {
        Path file = dir.resolve("known_hosts-" + name);
        try {
            Files.writeString(file, "[127.0.0.1]:" + sshPort() + " " + hostKeyLine() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** An inventory host for SSH as postgres to this host, its key checked against {@code knownHosts}. */
    public Inventory.Host inventoryHost(Path knownHosts) {
        return new Inventory.Host("127.0.0.1", new Inventory.Ssh("postgres", sshPort(), TestSshd.shared().clientKey(),
                knownHosts), null);
    }

    /** Runs a command on the host as root (test setup and assertions only), returning its stdout. */
    public String exec(String... argv) {
        try {
            var r = container.execInContainer(argv);
            if (r.getExitCode() != 0) {
                throw new IllegalStateException(name + ": " + String.join(" ", argv) + " exited " + r.getExitCode()
                        + ": " + r.getStderr());
            }
            return r.getStdout();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String publicKey(Path privateKey) {
        try {
            return Files.readString(Path.of(privateKey + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
