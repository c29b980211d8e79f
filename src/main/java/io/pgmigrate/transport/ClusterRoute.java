package io.pgmigrate.transport;

import io.pgmigrate.inventory.Inventory;

import java.sql.SQLException;
import java.time.Duration;

/**
 * The way to one cluster: a shell on its host, and SQL sessions either straight to pg.host:pg.port or
 * through an SSH tunnel opened on first use. Closing it closes the tunnel, the shell and the SSH
 * connection they share.
 */
final class ClusterRoute implements ClusterAccess {
    private final HostShell shell;
    private final SshConnection ssh;
    private final Inventory.PgEndpoint pg;
    private final boolean tunnelled;
    private SshTunnel tunnel;

    ClusterRoute(HostShell shell, SshConnection ssh, Inventory.PgEndpoint pg, boolean tunnelled) {
        if (tunnelled && ssh == null) {
            throw new IllegalArgumentException("a tunnel needs an SSH connection");
        }
        this.shell = shell;
        this.ssh = ssh;
        this.pg = pg;
        this.tunnelled = tunnelled;
    }

    @Override
    public HostShell shell() {
        return shell;
    }

    @Override
    public SqlSession connect(String database) {
        return open(database, null);
    }

    @Override
    public SqlSession connect(String database, Duration limit) {
        if (limit == null) {
            throw new IllegalArgumentException("no limit given for a session to " + database);
        }
        return open(database, limit);
    }

    private SqlSession open(String database, Duration limit) {
        if (!tunnelled) {
            return JdbcSqlSession.open(pg.host(), pg.port(), pg.user(), database, pg.sslmode(), limit);
        }
        SshTunnel t = tunnel();
        int localPort = t.localPort();
        try {
            return JdbcSqlSession.open(SshTunnel.LOCAL_HOST, localPort, pg.user(), database, pg.sslmode(), limit);
        } catch (TransportException e) {
            String cause = e.getCause() instanceof SQLException sql ? JdbcSqlSession.oneLine(sql) : e.getMessage();
            throw new TransportException("cannot connect to PostgreSQL at " + pg.user() + "@" + pg.host() + ":" + pg.port()
                    + "/" + database + " as seen from " + ssh.describe() + " (through the SSH tunnel on "
                    + SshTunnel.LOCAL_HOST + ":" + localPort + "): " + cause + " (is PostgreSQL listening there? check"
                    + " pg.host/pg.port/pg.user in the inventory as the SSH host sees them, pg_hba.conf, and ~/.pgpass"
                    + " or PGPASSFILE)", e);
        }
    }

    private synchronized SshTunnel tunnel() {
        if (tunnel == null) {
            tunnel = SshTunnel.open(ssh, pg.host(), pg.port());
        }
        return tunnel;
    }

    /** The tunnel's local port, opening it if needed; -1 when SQL goes straight to the server. */
    int tunnelLocalPort() {
        return tunnelled ? tunnel().localPort() : -1;
    }

    @Override
    public String maintenanceDatabase() {
        return pg.database();
    }

    @Override
    public synchronized void close() {
        if (tunnel != null) {
            tunnel.close();
        }
        shell.close();
        if (ssh != null) {
            ssh.close();
        }
    }
}
