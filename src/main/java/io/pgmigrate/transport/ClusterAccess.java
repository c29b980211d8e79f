package io.pgmigrate.transport;

/**
 * The way to one cluster: a shell on its host, and SQL sessions to its databases (directly or
 * through an SSH local port-forward when the inventory says {@code tunnel: true}).
 */
public interface ClusterAccess extends AutoCloseable {
    HostShell shell();

    /** Opens a new session to the named database; throws {@link TransportException} naming host, port, user and database. */
    SqlSession connect(String database);

    /**
     * Opens a new session to the named database that cannot outlast limit (a step's timeout) by much: the server
     * cancels any statement running longer ({@code statement_timeout}), the driver gives up on a server silent for
     * limit + 5 s (a frozen server or network), and the connect waits at most min(10 s, limit). Failures are one
     * {@link TransportException} line naming host, port, database and the limit. This default belongs to
     * implementations that cannot bound a session; every one pgmigrate connects through ({@link Transports})
     * does.
     */
    default SqlSession connect(String database, java.time.Duration limit) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot open a session bounded by a limit");
    }

    /** The database to connect to first (the inventory's pg.database). */
    String maintenanceDatabase();

    @Override
    void close();
}
