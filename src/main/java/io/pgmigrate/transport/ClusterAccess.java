package io.pgmigrate.transport;

/**
 * The way to one cluster: a shell on its host, and SQL sessions to its databases (directly or
 * through an SSH local port-forward when the inventory says {@code tunnel: true}).
 */
public interface ClusterAccess extends AutoCloseable {
    HostShell shell();

    /** Opens a new session to the named database; throws {@link TransportException} naming host, port, user and database. */
    SqlSession connect(String database);

    /** The database to connect to first (the inventory's pg.database). */
    String maintenanceDatabase();

    @Override
    void close();
}
