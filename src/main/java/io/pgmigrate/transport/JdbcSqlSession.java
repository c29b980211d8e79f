package io.pgmigrate.transport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** {@link SqlSession} over pgjdbc. Passwords come from PGPASSWORD or the pgpass file, never from the inventory. */
public final class JdbcSqlSession implements SqlSession {
    private final Connection connection;
    private final String database;
    private final String where;

    private JdbcSqlSession(Connection connection, String database, String where) {
        this.connection = connection;
        this.database = database;
        this.where = where;
    }

    /**
     * Connects to host:port/database as user. The application name says pgmigrate so a DBA sees us in
     * pg_stat_activity.
     */
    public static JdbcSqlSession open(String host, int port, String user, String database, String sslmode) {
        String url = "jdbc:postgresql://" + hostForUrl(host) + ":" + port + "/";
        Properties props = new Properties();
        props.setProperty("PGDBNAME", database);
        props.setProperty("user", user);
        props.setProperty("ApplicationName", "pgmigrate");
        props.setProperty("connectTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("sslmode", sslmode == null ? "prefer" : sslmode);
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            props.setProperty("password", password);
        }
        String where = user + "@" + host + ":" + port + "/" + database;
        try {
            Connection c = DriverManager.getConnection(url, props);
            c.setAutoCommit(true);
            return new JdbcSqlSession(c, database, where);
        } catch (SQLException e) {
            throw new TransportException("cannot connect to PostgreSQL at " + where + ": " + oneLine(e)
                    + " (check pg.host/pg.port/pg.user in the inventory, pg_hba.conf, and ~/.pgpass or PGPASSFILE)", e);
        }
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
            throw new TransportException("query failed on " + where + ": " + oneLine(e), e);
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
            throw new TransportException("query failed on " + where + ": " + oneLine(e), e);
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
            throw new TransportException("statement failed on " + where + ": " + oneLine(e), e);
        }
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
