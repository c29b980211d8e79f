package io.pgmigrate.testing.fakes;

import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A cluster for unit tests: its host is a {@link FakeShell}; SQL answers come from a function of the query text (a
 * fixed table of answers), or connections are refused while it is "down". Records every statement.
 */
public final class FakeCluster implements ClusterAccess {
    private final FakeShell shell;
    private final List<String> statements = new ArrayList<>();
    private Function<String, List<Map<String, String>>> answers = sql -> List.of();
    private boolean up = true;

    public FakeCluster(FakeShell shell) {
        this.shell = shell;
    }

    public FakeCluster answering(Function<String, List<Map<String, String>>> answers) {
        this.answers = answers;
        return this;
    }

    public FakeCluster up(boolean answers) {
        this.up = answers;
        return this;
    }

    public List<String> statements() {
        return List.copyOf(statements);
    }

    @Override
    public HostShell shell() {
        return shell;
    }

    @Override
    public SqlSession connect(String database) {
        if (!up) {
            throw new TransportException("cannot connect to PostgreSQL at fake:5432/" + database + ": Connection refused");
        }
        return new SqlSession() {
            @Override
            public List<SqlRow> query(String sql, Object... params) {
                statements.add(sql);
                return answers.apply(sql).stream().map(SqlRow::new).toList();
            }

            @Override
            public void execute(String sql) {
                statements.add(sql);
            }

            @Override
            public String database() {
                return database;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public SqlSession connect(String database, java.time.Duration limit) {
        return connect(database);
    }

    @Override
    public String maintenanceDatabase() {
        return "postgres";
    }

    @Override
    public void close() {
    }
}
