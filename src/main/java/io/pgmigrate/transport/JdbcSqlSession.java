package io.pgmigrate.transport;

import io.pgmigrate.core.SessionSettings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@link SqlSession} over pgjdbc. Passwords come from PGPASSWORD or the pgpass file, never from the inventory; a pgpass
 * file open to group or others is refused ({@link PgPassFile}).
 *
 * <p>A session opened with a limit (a step's timeout) cannot hang: the server cancels a statement that runs longer
 * ({@code statement_timeout}, set at connect), and the driver gives up on a server that sends nothing for the limit
 * plus {@value #SOCKET_GRACE_SECONDS} seconds (pgjdbc {@code socketTimeout}: a frozen server or network), closing the
 * connection. Either failure is one line naming user@host:port/database and the limit.
 *
 * <p>Every session pins the settings that change how SQL text is read ({@link SessionSettings}): startup options
 * override what {@code ALTER DATABASE} or {@code ALTER ROLE … SET} made, and pgjdbc sends {@code client_encoding=UTF8}
 * itself and refuses a session whose encoding changes.
 */
public final class JdbcSqlSession implements SqlSession {
    /** How long past its limit a session waits for a server that sends nothing: the server's own cancel comes first. */
    static final int SOCKET_GRACE_SECONDS = 5;
    /** The longest connect wait, with or without a limit. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final Connection connection;
    private final String database;
    private final String where;
    private final Duration limit;

    private JdbcSqlSession(Connection connection, String database, String where, Duration limit) {
        this.connection = connection;
        this.database = database;
        this.where = where;
        this.limit = limit;
    }

    /**
     * Connects to host:port/database as user, without a limit. The application name says pgmigrate so a DBA sees us
     * in pg_stat_activity.
     */
    public static JdbcSqlSession open(String host, int port, String user, String database, String sslmode) {
        return open(host, port, user, database, sslmode, null);
    }

    /**
     * Connects like {@link #open(String, int, String, String, String)}; with a limit (null: none), every statement is
     * bounded by it in the server ({@code statement_timeout}) and by the limit + 5 s in the driver (socketTimeout),
     * and the connect waits at most min(10 s, limit).
     */
    public static JdbcSqlSession open(String host, int port, String user, String database, String sslmode, Duration limit) {
        PgPassFile.requirePrivate();
        String url = "jdbc:postgresql://" + hostForUrl(host) + ":" + port + "/";
        Properties props = properties(user, database, sslmode, limit);
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            props.setProperty("password", password);
        }
        String where = user + "@" + host + ":" + port + "/" + database;
        try {
            Connection c = DriverManager.getConnection(url, props);
            c.setAutoCommit(true);
            return new JdbcSqlSession(c, database, where, limit);
        } catch (SQLException e) {
            throw new TransportException("cannot connect to PostgreSQL at " + where + ": " + oneLine(e)
                    + " (check pg.host/pg.port/pg.user in the inventory, pg_hba.conf, and ~/.pgpass or PGPASSFILE)", e);
        }
    }

    /** The driver properties, password aside. */
    static Properties properties(String user, String database, String sslmode, Duration limit) {
        Properties props = new Properties();
        props.setProperty("PGDBNAME", database);
        props.setProperty("user", user);
        props.setProperty("ApplicationName", "pgmigrate");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("sslmode", sslmode == null ? "prefer" : sslmode);
        // sent in the startup packet: in force before the first statement, over database and role settings
        props.setProperty("options", SessionSettings.STARTUP_OPTIONS);
        if (limit == null) {
            props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
            return props;
        }
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a session's limit must be positive: " + limit);
        }
        long seconds = wholeSeconds(limit);
        props.setProperty("connectTimeout", Long.toString(Math.min(CONNECT_TIMEOUT_SECONDS, seconds)));
        props.setProperty("socketTimeout", Long.toString(Math.min(Integer.MAX_VALUE, seconds + SOCKET_GRACE_SECONDS)));
        props.setProperty("options", SessionSettings.STARTUP_OPTIONS + " -c statement_timeout="
                + Math.min(Integer.MAX_VALUE, limit.toMillis()));
        return props;
    }

    /** The duration in whole seconds, rounded up, at least 1. */
    private static long wholeSeconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    static String oneLine(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    @Override
    public List<SqlRow> query(String sql, Object... params) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                List<SqlRow> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        values.put(md.getColumnLabel(i), rs.getString(i));
                    }
                    rows.add(new SqlRow(values));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw failure("query", e);
        }
    }

    @Override
    public byte[] queryBytes(String sql, Object... params) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw failure("query", e);
        }
    }

    /** Positional parameters; a byte[] goes as a bytea. */
    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    @Override
    public void execute(String sql) {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw failure("statement", e);
        }
    }

    /** One line: the limit that passed (the server's cancel, or the driver's wait for a silent server), else the error. */
    private TransportException failure(String what, SQLException e) {
        if (limit != null && "57014".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("statement timeout")) {
            return new TransportException(what + " on " + where + " ran past its limit of " + SshShell.human(limit)
                    + " and the server cancelled it (statement_timeout): " + oneLine(e)
                    + " (raise the step's timeout if it needs longer)", e);
        }
        if (limit != null && causedBy(e, java.net.SocketTimeoutException.class)) {
            return new TransportException(what + " on " + where + " got no answer from the server within "
                    + (wholeSeconds(limit) + SOCKET_GRACE_SECONDS) + "s, its limit of " + SshShell.human(limit)
                    + " plus " + SOCKET_GRACE_SECONDS + "s; the connection was closed (is the server or the network"
                    + " frozen? check the host)", e);
        }
        return new TransportException(what + " failed on " + where + ": " + oneLine(e), e);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing to report
        }
    }
}
