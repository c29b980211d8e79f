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
import java.util.ArrayList;
import java.util.List;

/**
 * A database host of its own for a test: a container of the project's image (scripts/test-hosts.sh) with its own
 * filesystem, hostname, IP address and SSH host key. The controller (the test JVM, running pgmigrate) reaches it at
 * that address, as another host on the test's Docker network does, so an address in an inventory means the same
 * host to pgmigrate and to the other hosts, as in production. The toolchain's PostgreSQL builds are mounted
 * read-only at the paths they have on the controller, so the same binDir works on every host. The test client's
 * key ({@link TestSshd#clientKey()}) logs in as {@code postgres}. Without a host image (no Docker engine), a test
 * that asks for a host is skipped.
 */
public final class TestHost implements AutoCloseable {
    private static final List<String> MOUNTED = List.of("/var/cache/pgmigrate/pg13", "/var/cache/pgmigrate/pg17",
            "/var/cache/pgmigrate/pg18", "/usr/lib/postgresql/15", "/usr/share/postgresql/15");

    private final GenericContainer<?> container;
    private final String name;
    private final Network network;

    private TestHost(GenericContainer<?> container, String name, Network network) {
        this.container = container;
        this.name = name;
        this.network = network;
    }

    /** Starts a host called {@code name} (its hostname, and its alias on the network). */
    public static TestHost start(String name, Network network) {
        return start(name, network, List.of());
    }

    /**
     * As above, with a tmpfs of {@code mb} MiB mounted (owned by postgres) at each of {@code tmpfs}, given as
     * "path:mb": a small disk of the host's own.
     */
    @SuppressWarnings("resource")
    public static TestHost start(String name, Network network, List<String> tmpfs) {
        Assumptions.assumeTrue(Toolchain.hasHostImage(), "no test host image: scripts/test.sh builds it when Docker's"
                + " engine runs (it said why not)");
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(Toolchain.hostImage()))
                .withNetwork(network).withNetworkAliases(name)
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName(name))
                .withEnv("PGM_AUTHORIZED_KEY", publicKey(TestSshd.shared().clientKey()))
                .waitingFor(Wait.forLogMessage(".*Server listening on 0\\.0\\.0\\.0 port 22.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(30)));
        for (String dir : MOUNTED) {
            if (Files.isDirectory(Path.of(dir))) {
                c.withFileSystemBind(dir, dir, BindMode.READ_ONLY);
            }
        }
        java.util.Map<String, String> fs = new java.util.LinkedHashMap<>();
        for (String t : tmpfs) {
            int colon = t.lastIndexOf(':');
            fs.put(t.substring(0, colon), "rw,size=" + t.substring(colon + 1) + "m,mode=0755,uid=0");
        }
        if (!fs.isEmpty()) {
            c.withTmpFs(fs);
        }
        c.start();
        TestHost host = new TestHost(c, name, network);
        for (String path : fs.keySet()) {
            host.exec("chown", "postgres:postgres", path);
        }
        return host;
    }

    public String name() {
        return name;
    }

    /** This host's IP address on the test's network: how the controller and the other hosts reach it. */
    public String address() {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .filter(n -> network.getId().equals(n.getNetworkID())).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not on its network")).getIpAddress();
    }

    /** The network's gateway: the address connections from the controller come from. */
    public String controllerAddress() {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .filter(n -> network.getId().equals(n.getNetworkID())).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not on its network")).getGateway();
    }

    /** This host's ed25519 host key as "ssh-ed25519 AAAA…", read from the host itself. */
    public String hostKeyLine() {
        String[] f = exec("cat", "/etc/ssh/ssh_host_ed25519_key.pub").strip().split("\\s+");
        return f[0] + " " + f[1];
    }

    /** The known_hosts line of this host: its real key under its address. */
    public String knownHostsLine() {
        return address() + " " + hostKeyLine();
    }

    /** Writes a known_hosts file with exactly this host's real key, under its address. */
    public Path knownHosts(Path dir) {
        Path file = dir.resolve("known_hosts-" + name);
        try {
            Files.writeString(file, knownHostsLine() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** An inventory host for SSH as postgres to this host, its key checked against {@code knownHosts}. */
    public Inventory.Host inventoryHost(Path knownHosts) {
        return new Inventory.Host(address(), new Inventory.Ssh("postgres", 22, TestSshd.shared().clientKey(),
                knownHosts), null);
    }

    /** The inventory's YAML lines for this host ({@code host:} and {@code ssh:}, indented for source or target). */
    public String inventoryYaml(Path knownHosts) {
        return "  host: " + address() + "\n"
                + "  ssh: { user: postgres, port: 22, identity: " + TestSshd.shared().clientKey()
                + ", knownHosts: " + knownHosts + " }\n";
    }

    /**
     * Lets the postgres OS user of {@code from} log in to this host's postgres over SSH, non-interactively, as database
     * hosts are set up for rsync between them: a key made on {@code from}, authorised here, and this host's real key
     * in {@code from}'s known_hosts under this host's address.
     */
    public void acceptSshFrom(TestHost from) {
        from.execAsPostgres("sh", "-c", "test -f /var/lib/postgresql/.ssh/id_ed25519 || ssh-keygen -q -t ed25519 -N '' -f"
                + " /var/lib/postgresql/.ssh/id_ed25519");
        String key = from.execAsPostgres("cat", "/var/lib/postgresql/.ssh/id_ed25519.pub").strip();
        exec("sh", "-c", "printf '%s\\n' \"$1\" >> /var/lib/postgresql/.ssh/authorized_keys", "sh", key);
        from.exec("sh", "-c", "printf '%s\\n' \"$1\" >> /var/lib/postgresql/.ssh/known_hosts && chown postgres:postgres"
                + " /var/lib/postgresql/.ssh/known_hosts", "sh", knownHostsLine());
    }

    /** Runs a command on the host as root (test setup and assertions only), returning its stdout. */
    public String exec(String... argv) {
        try {
            var r = container.execInContainer(argv);
            if (r.getExitCode() != 0) {
                throw new IllegalStateException(name + ": " + String.join(" ", argv) + " exited " + r.getExitCode()
                        + ": " + r.getStderr() + r.getStdout());
            }
            return r.getStdout();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command on the host as the postgres OS user, returning its stdout. */
    public String execAsPostgres(String... argv) {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(List.of(argv));
        return exec(cmd.toArray(String[]::new));
    }

    /** Writes {@code text} to {@code path} on the host, owned by postgres with the given octal mode. */
    public void writeFile(String path, String text, String mode) {
        String b64 = java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        exec("sh", "-c", "umask 077; printf %s \"$2\" | base64 -d > \"$1\" && chown postgres:postgres \"$1\""
                + " && chmod " + mode + " \"$1\"", "sh", path, b64);
    }

    /**
     * Freezes every process of the host (docker pause): to the others it is as if the network dropped. The engine's
     * freeze gives up ("unable to freeze") when a process sits in the kernel past its short wait, as pg_upgrade's file
     * copies do under load: it is asked again, for up to 20 s, as an operator would.
     */
    public void pause() {
        RuntimeException last = null;
        for (int i = 0; i < 100; i++) {
            try {
                container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
                return;
            } catch (com.github.dockerjava.api.exception.DockerException e) {
                last = e;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException(name + ": docker pause kept failing: " + last.getMessage(), last);
    }

    public void unpause() {
        container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
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
