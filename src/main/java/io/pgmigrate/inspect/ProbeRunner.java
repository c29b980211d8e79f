package io.pgmigrate.inspect;

import io.pgmigrate.facts.ProbeRow;

import io.pgmigrate.check.Probe;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Runs pre-check probes: cluster-scoped ones once in the maintenance database, per-database ones in
 * every database that allows connections. Read-only; results keyed by probe id.
 */
public final class ProbeRunner {
    private ProbeRunner() {
    }

    /**
     * @param databases    names of the databases to visit (those that allow connections)
     * @param maintenance  the database cluster-scoped probes run in
     * @param connect      opens a session to a database (closed here)
     */
    public static Map<String, List<ProbeRow>> run(Collection<Probe> probes, List<String> databases, String maintenance,
                                                  Function<String, SqlSession> connect) {
        Map<String, List<ProbeRow>> results = new TreeMap<>();
        for (Probe p : probes) {
            results.put(p.id(), new ArrayList<>());
        }
        List<Probe> cluster = probes.stream().filter(p -> p.scope() == Probe.Scope.CLUSTER).toList();
        List<Probe> each = probes.stream().filter(p -> p.scope() == Probe.Scope.EACH_DATABASE).toList();
        if (!cluster.isEmpty()) {
            try (SqlSession s = connect.apply(maintenance)) {
                readOnly(s);
                for (Probe p : cluster) {
                    results.get(p.id()).addAll(rows(s, p, maintenance));
                }
            }
        }
        if (!each.isEmpty()) {
            for (String db : databases) {
                try (SqlSession s = connect.apply(db)) {
                    readOnly(s);
                    for (Probe p : each) {
                        results.get(p.id()).addAll(rows(s, p, db));
                    }
                }
            }
        }
        results.replaceAll((k, v) -> List.copyOf(v));
        return results;
    }

    /** Makes a session read-only and bounded in time: inspection never writes and never waits long for a lock. */
    static void readOnly(SqlSession s) {
        s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
        s.execute("SET statement_timeout = '120s'");
        s.execute("SET lock_timeout = '5s'");
        // JIT compiles big catalog queries for longer than they run (PostgreSQL 11+ only has the setting)
        s.query("SELECT pg_catalog.set_config(name, 'off', false) FROM pg_catalog.pg_settings WHERE name = 'jit'");
    }

    private static List<ProbeRow> rows(SqlSession s, Probe p, String db) {
        List<ProbeRow> out = new ArrayList<>();
        List<SqlRow> result;
        try {
            result = s.query(p.sql());
        } catch (TransportException e) {
            throw new TransportException("pre-check probe '" + p.id() + "' failed in database " + db + ": "
                    + e.getMessage(), e);
        }
        for (SqlRow r : result) {
            out.add(new ProbeRow(db, r.values()));
        }
        return out;
    }
}
