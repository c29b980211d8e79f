package io.pgmigrate.transport;

import io.pgmigrate.inventory.Inventory;

/**
 * Where shells and SQL sessions come from: {@code host: local} runs programs on this machine,
 * any other host is reached over SSH. The only place that decides between the two.
 */
public final class Transports {
    private Transports() {
    }

    /** A shell on the host: {@link LocalShell} for "local", otherwise {@link SshShell} (connecting on first use). */
    public static HostShell shell(Inventory.Host host, TransportOptions options) {
        if (host == null) {
            throw new IllegalArgumentException("no host given");
        }
        return host.isLocal() ? new LocalShell(host.become()) : new SshShell(host, options);
    }

    /**
     * Shell and SQL access to a cluster. With {@code tunnel} and an SSH host, SQL sessions go through
     * a local port-forward to pg.host:pg.port as the SSH host sees them (so pg.host is usually
     * 127.0.0.1 there); shell and tunnel share one SSH connection. On a local host, or without
     * {@code tunnel}, SQL sessions connect straight to pg.host:pg.port. Nothing is connected until used.
     * Through a tunnel the server is reached as 127.0.0.1, so sslmode verify-full cannot match its name.
     */
    public static ClusterAccess clusterAccess(Inventory.Host host, Inventory.PgEndpoint pg, boolean tunnel,
                                              TransportOptions options) {
        if (host == null || pg == null) {
            throw new IllegalArgumentException("host and pg endpoint are required");
        }
        if (host.isLocal()) {
            return new ClusterRoute(new LocalShell(host.become()), null, pg, false);
        }
        SshConnection ssh = SshConnection.to(host, options);
        return new ClusterRoute(new SshShell(ssh, host.become()), ssh, pg, tunnel);
    }

    /** Shell and SQL access to the inventory's source cluster. */
    public static ClusterAccess clusterAccess(Inventory.SourceCluster source, TransportOptions options) {
        return clusterAccess(source.host(), source.pg(), source.tunnel(), options);
    }
}
