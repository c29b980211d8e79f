package io.pgmigrate.inspect;

import io.pgmigrate.facts.ProbeRow;

import io.pgmigrate.check.Probe;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeRunnerTest {
    private final List<String> log = new ArrayList<>();

    private SqlSession session(String db) {
        return new SqlSession() {
            @Override
            public List<SqlRow> query(String sql, Object... params) {
                log.add(db + ": " + sql);
                if (sql.contains("broken")) {
                    throw new TransportException("query failed on postgres@h:5432/" + db + ": ERROR: boom");
                }
                return List.of(new SqlRow(Map.of("db", db)));
            }

            @Override
            public void execute(String sql) {
                log.add(db + ": " + sql);
            }

            @Override
            public String database() {
                return db;
            }

            @Override
            public void close() {
                log.add(db + ": closed");
            }
        };
    }

    @Test
    void clusterProbesRunOnceEachDatabaseProbesEverywhereReadOnly() {
        Map<String, List<ProbeRow>> r = ProbeRunner.run(List.of(new Probe("c", Probe.Scope.CLUSTER, "select c"),
                        new Probe("e", Probe.Scope.EACH_DATABASE, "select e")), List.of("a", "b"), "postgres",
                this::session);
        assertThat(r.get("c")).extracting(ProbeRow::database).containsExactly("postgres");
        assertThat(r.get("e")).extracting(ProbeRow::database).containsExactly("a", "b");
        assertThat(log).contains("a: SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "a: closed", "b: closed",
                "postgres: closed");
    }

    @Test
    void aFailingProbeIsNamed() {
        assertThatThrownBy(() -> ProbeRunner.run(List.of(new Probe("aclitem-columns", Probe.Scope.EACH_DATABASE,
                "select broken")), List.of("shop"), "postgres", this::session))
                .isInstanceOf(TransportException.class)
                .hasMessage("pre-check probe 'aclitem-columns' failed in database shop: query failed on "
                        + "postgres@h:5432/shop: ERROR: boom");
    }
}
