package io.pgmigrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes pgmigrate.yaml files for integration tests against a {@link PgCluster}. */
public final class TestInventory {
    private TestInventory() {
    }

    /**
     * An in-place inventory for the cluster, upgrading to PostgreSQL 18 built by the toolchain; the new
     * data directory goes beside the old one. {@code hostBlock} is the YAML of {@code source.host} and
     * friends (e.g. {@link #localHost()} or an SSH block).
     */
    public static Path write(Path dir, String name, PgCluster source, String hostBlock, String mode, int targetPort) {
        return write(dir, name, source, hostBlock, mode, targetPort, source.port(), Toolchain.binDir(18));
    }

    /**
     * As above, with the port pgmigrate reaches the source at ({@code pgPort}: a proxy in front of it, say) and the
     * target's binaries ({@code targetBinDir}: a copy with wrappers, say) given.
     */
    public static Path write(Path dir, String name, PgCluster source, String hostBlock, String mode, int targetPort,
                             int pgPort, Path targetBinDir) {
        String yaml = "name: " + name + "\n"
                + "strategy: pg-upgrade\n"
                + "source:\n"
                + hostBlock
                + "  pg: { host: 127.0.0.1, port: " + pgPort + ", user: postgres, database: postgres, sslmode: disable }\n"
                + "  dataDir: " + source.dataDir() + "\n"
                + "  binDir: " + source.binDir() + "\n"
                + "target:\n"
                + "  version: 18\n"
                + "  binDir: " + targetBinDir + "\n"
                + "  dataDir: " + source.root().resolve("data18") + "\n"
                + "  port: " + targetPort + "\n"
                + "options:\n"
                + "  mode: " + mode + "\n"
                + "  jobs: 2\n";
        return write(dir.resolve(name + ".yaml"), yaml);
    }

    /**
     * A blue/green inventory: {@code blue} (local commands) as the source, a PostgreSQL 18 green at
     * {@code greenData} on {@code greenPort} beside it, and {@code more} YAML appended (a cutover section, say).
     */
    public static Path logical(Path dir, String name, PgCluster blue, Path greenData, int greenPort, String more) {
        String yaml = "name: " + name + "\n"
                + "strategy: logical\n"
                + "source:\n"
                + localHost()
                + "  pg: { host: 127.0.0.1, port: " + blue.port() + ", user: postgres, database: postgres, sslmode: disable }\n"
                + "  dataDir: " + blue.dataDir() + "\n"
                + "  binDir: " + blue.binDir() + "\n"
                + "target:\n"
                + "  version: 18\n"
                + "  binDir: " + Toolchain.binDir(18) + "\n"
                + "  dataDir: " + greenData + "\n"
                + "  port: " + greenPort + "\n"
                + more;
        return write(dir.resolve(name + ".yaml"), yaml);
    }

    /**
     * A blue/green inventory at {@code file} for two test hosts: {@code blue}'s cluster, reached over SSH and its
     * tunnel, and green at {@code greenData} on port 5432 of {@code green}'s host, with {@code greenBin}'s binaries;
     * {@code more} YAML appended (the cutover section).
     */
    public static Path logicalOnHosts(Path file, String name, io.pgmigrate.testing.hosts.HostCluster blue,
                                      io.pgmigrate.testing.hosts.TestHost green, Path knownHosts, String greenBin,
                                      String greenData, String more) {
        return write(file, "name: " + name + "\n"
                + "strategy: logical\n"
                + "source:\n"
                + blue.host().inventoryYaml(knownHosts)
                + "  tunnel: true\n"
                + "  pg: { host: 127.0.0.1, port: " + blue.port() + ", user: postgres, database: postgres,"
                + " sslmode: disable }\n"
                + "  dataDir: " + blue.dataDir() + "\n"
                + "  binDir: " + blue.binDir() + "\n"
                + "target:\n"
                + "  version: 18\n"
                + "  binDir: " + greenBin + "\n"
                + "  dataDir: " + greenData + "\n"
                + "  port: 5432\n"
                + "  host:\n"
                + "    address: " + green.address() + "\n"
                + "    ssh: { user: postgres, port: 22, identity: " + TestSshd.shared().clientKey()
                + ", knownHosts: " + knownHosts + " }\n"
                + more);
    }

    /**
     * In place on a test host (issue #15): the primary over SSH and its tunnel, and each standby likewise on its own
     * host (named by its host's name), new data directories at {@code /var/lib/postgresql/18/main}.
     */
    public static Path inPlaceOnHosts(Path file, String name, io.pgmigrate.testing.hosts.HostCluster primary,
                                      java.util.List<io.pgmigrate.testing.hosts.HostCluster> standbys, Path knownHosts,
                                      String mode, String more) {
        StringBuilder list = new StringBuilder(standbys.isEmpty() ? "" : "standbys:\n");
        for (io.pgmigrate.testing.hosts.HostCluster s : standbys) {
            list.append("  - name: ").append(s.host().name()).append("\n")
                    .append(s.host().inventoryYaml(knownHosts).replace("  host:", "    host:")
                            .replace("  ssh:", "    ssh:"))
                    .append("    tunnel: true\n")
                    .append("    pg: { port: ").append(s.port()).append(" }\n")
                    .append("    dataDir: ").append(s.dataDir()).append("\n")
                    .append("    binDir: ").append(s.binDir()).append("\n")
                    .append("    target: { dataDir: /var/lib/postgresql/18/main }\n");
        }
        return write(file, "name: " + name + "\n"
                + "source:\n"
                + primary.host().inventoryYaml(knownHosts)
                + "  tunnel: true\n"
                + "  pg: { host: 127.0.0.1, port: " + primary.port() + ", user: postgres, database: postgres,"
                + " sslmode: disable }\n"
                + "  dataDir: " + primary.dataDir() + "\n"
                + "  binDir: " + primary.binDir() + "\n"
                + "target:\n"
                + "  version: 18\n"
                + "  binDir: " + Toolchain.binDir(18) + "\n"
                + "  dataDir: /var/lib/postgresql/18/main\n"
                + "  port: 5499\n"
                + "options: { mode: " + mode + ", jobs: 2 }\n"
                + list + more);
    }

    public static Path write(Path file, String yaml) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Over the test sshd as postgres@127.0.0.1, host key checked against the fixture's known_hosts. */
    public static String sshHost(TestSshd sshd) {
        return "  host: 127.0.0.1\n"
                + "  ssh: { user: postgres, port: " + sshd.port() + ", identity: " + sshd.clientKey()
                + ", knownHosts: " + sshd.knownHosts() + " }\n";
    }

    /** Commands on this machine, as the cluster owner when the tests run as root. */
    public static String localHost() {
        return "  host: local\n" + (OsUser.isRoot() ? "  become: postgres\n" : "");
    }
}
