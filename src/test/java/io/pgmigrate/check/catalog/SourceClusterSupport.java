package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.inspect.ProbeRunner;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One real source cluster per integration test class (PostgreSQL 15 unless a subclass says otherwise),
 * databases created per test and dropped after it. Runs a check the way planning does: its probes through
 * {@link ProbeRunner} (cluster-scoped ones in "postgres", the others in every database that accepts
 * connections), then {@code evaluate} over healthy facts plus those probe rows.
 */
abstract class SourceClusterSupport {
    static PgCluster pg;
    private final List<String> databases = new ArrayList<>();

    @BeforeAll
    static void startSource() {
        pg = PgCluster.start(15);
    }

    @AfterAll
    static void stopSource() {
        if (pg != null) {
            pg.close();
            pg = null;
        }
    }

    /** Creates a database for this test; it is dropped after the test, whatever its state. */
    String database(String name) {
        pg.createDatabase(name);
        databases.add(name);
        return name;
    }

    /** A database the test created itself (e.g. with options): dropped after the test too. */
    void registerForCleanup(String name) {
        databases.add(name);
    }

    @AfterEach
    void dropDatabases() {
        for (String db : databases) {
            pg.sql("postgres", "DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(db) + " WITH (FORCE)");
        }
        databases.clear();
    }

    /** The databases inspection visits: those that allow connections and are not invalid. */
    static List<String> connectableDatabases() {
        try (SqlSession s = pg.connect("postgres")) {
            return s.query("SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND datconnlimit <> -2"
                    + " ORDER BY datname").stream().map(r -> r.get("datname")).toList();
        }
    }

    static Map<String, List<ProbeRow>> probe(PreCheck check, UpgradePath path) {
        return ProbeRunner.run(check.probes(path), connectableDatabases(), "postgres", pg::connect);
    }

    /** Probes the cluster for the check and evaluates it over the given facts. */
    static List<Finding> run(PreCheck check, Facts facts, UpgradePath path) {
        facts.probes.putAll(probe(check, path));
        return check.evaluate(new CheckInput(Inventories.sample(), facts.build(), path));
    }

    /** 15 → 18 over healthy facts. */
    static List<Finding> run(PreCheck check) {
        return run(check, Facts.healthy(), CheckInputs.path(pg.major(), 18));
    }

    /** Objects of the single finding of a run. */
    static List<String> objectsOf(List<Finding> findings) {
        if (findings.size() != 1) {
            throw new AssertionError("expected one finding, got " + findings);
        }
        return findings.get(0).objects();
    }

    /**
     * Runs a finding's fix for real: the statements after the lead sentence, each block in the database
     * its "-- in database …:" header names ("postgres" before any header).
     */
    static void applyFix(Finding finding) {
        applyFix(pg, finding);
    }

    /** {@link #applyFix(Finding)} on another cluster. */
    static void applyFix(PgCluster cluster, Finding finding) {
        String[] lines = finding.fix().split("\n");
        String db = "postgres";
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("-- in database ") && line.endsWith(":")) {
                db = unquote(line.substring("-- in database ".length(), line.length() - 1));
            } else if (!line.startsWith("--") && !line.isBlank()) {
                cluster.sql(db, line);
            }
        }
    }

    private static String unquote(String ident) {
        return ident.startsWith("\"") ? ident.substring(1, ident.length() - 1).replace("\"\"", "\"") : ident;
    }

    static List<SqlRow> query(String db, String sql) {
        try (SqlSession s = pg.connect(db)) {
            return s.query(sql);
        }
    }
}
