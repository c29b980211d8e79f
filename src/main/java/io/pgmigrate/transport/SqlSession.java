package io.pgmigrate.transport;

import java.util.List;

/** A connection to one database; the only SQL API the rest of pgmigrate sees. */
public interface SqlSession extends AutoCloseable {
    /** Runs a query with positional parameters ({@code ?}), returns all rows as text. */
    List<SqlRow> query(String sql, Object... params);

    /**
     * The first column of the first row as raw bytes (a {@code bytea}), null for SQL NULL or no row. A byte[]
     * parameter is sent as a {@code bytea}. This default decodes the hex text of {@link #query}.
     */
    default byte[] queryBytes(String sql, Object... params) {
        List<SqlRow> rows = query(sql, params);
        if (rows.isEmpty()) {
            return null;
        }
        String hex = rows.get(0).values().values().iterator().next();
        return hex == null ? null : java.util.HexFormat.of().parseHex(hex.substring(2));
    }

    /** Runs a statement that returns no rows. */
    void execute(String sql);

    /** The database this session is connected to. */
    String database();

    @Override
    void close();
}
