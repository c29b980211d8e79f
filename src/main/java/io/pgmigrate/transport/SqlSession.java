package io.pgmigrate.transport;

import java.util.List;

/** A connection to one database; the only SQL API the rest of pgmigrate sees. */
public interface SqlSession extends AutoCloseable {
    /** Runs a query with positional parameters ({@code ?}), returns all rows as text. */
    List<SqlRow> query(String sql, Object... params);

    /** Runs a statement that returns no rows. */
    void execute(String sql);

    /** The database this session is connected to. */
    String database();

    @Override
    void close();
}
