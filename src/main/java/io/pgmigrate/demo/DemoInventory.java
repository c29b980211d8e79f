package io.pgmigrate.demo;

import io.pgmigrate.inventory.Inventory;

/**
 * The demo's pgmigrate.yaml: the PostgreSQL 15 cluster in the demo directory, upgraded in place to 18.
 * The directory's path is plain (see {@link DemoDir#check}), so every value is a plain YAML scalar.
 */
public final class DemoInventory {
    private DemoInventory() {
    }

    /**
     * @param host       {@code local}, or SSH to 127.0.0.1 (see {@link DemoTransport})
     * @param port       the demo cluster's port
     * @param targetPort the port the new cluster runs on during the upgrade
     */
    public static String yaml(DemoDir dir, DemoToolchain toolchain, Inventory.Host host, int port, int targetPort,
                              Inventory.UpgradeMode mode) {
        StringBuilder y = new StringBuilder();
        y.append("# Written by pgmigrate demo; pgmigrate demo --stop removes this directory\n");
        y.append("name: ").append(DemoDir.NAME).append('\n');
        y.append("strategy: pg-upgrade\n");
        y.append("source:\n");
        y.append("  host: ").append(host.address()).append('\n');
        Inventory.Ssh ssh = host.ssh();
        if (!host.isLocal() && ssh != null) {
            y.append("  ssh: { user: ").append(ssh.user()).append(", port: ").append(ssh.port());
            if (ssh.identity() != null) {
                y.append(", identity: ").append(ssh.identity());
            }
            if (ssh.knownHosts() != null) {
                y.append(", knownHosts: ").append(ssh.knownHosts());
            }
            y.append(" }\n");
        }
        if (host.become() != null) {
            y.append("  become: ").append(host.become()).append('\n');
        }
        y.append("  pg: { host: 127.0.0.1, port: ").append(port)
                .append(", user: postgres, database: postgres, sslmode: disable }\n");
        y.append("  dataDir: ").append(dir.data()).append('\n');
        y.append("  binDir: ").append(toolchain.pg15Bin()).append('\n');
        y.append("target:\n");
        y.append("  version: 18\n");
        y.append("  binDir: ").append(toolchain.pg18Bin()).append('\n');
        y.append("  dataDir: ").append(dir.data18()).append('\n');
        y.append("  port: ").append(targetPort).append('\n');
        y.append("options:\n");
        y.append("  mode: ").append(mode.key()).append('\n');
        y.append("  jobs: 2\n");
        return y.toString();
    }
}
