package io.pgmigrate.verify;

import io.pgmigrate.pg.CollationVersionSql;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code options.verify.amcheck}: on the upgraded cluster, every btree index that depends on a collation whose
 * recorded version differs from what the server's libc or ICU provides ({@link CollationVersionSql}, the same
 * question the plan's collation-versions check asks of the source) is checked with amcheck's
 * {@code bt_index_check(index, false)}: whether its keys are in the order the collation sorts them in now.
 *
 * <p>Nothing is left behind: each database's checks run in one transaction that is rolled back at the end, so an
 * {@code amcheck} extension created for them (when the database does not have it; in {@code pg_catalog}) is never
 * committed, and each index's lock is released after its check (a savepoint rolled back). When the target's build
 * lacks amcheck (the contrib package), the result says so and names what was not checked.
 */
public final class IndexAmcheck {
    /** The report's name for it. */
    public static final String CHECK = "index order (amcheck)";

    /** SQLSTATEs amcheck reports corruption with: index_corrupted, data_corrupted. */
    private static final Set<String> CORRUPTION = Set.of("XX002", "XX001");

    private IndexAmcheck() {
    }

    /** What became of one index (or, with a null index, of a database amcheck could not be had in). */
    public enum Status { PASSED, CORRUPT, NOT_CHECKED, NOT_BTREE, NO_AMCHECK }

    /**
     * @param index      schema.name as a DBA reads it; null for {@link Status#NO_AMCHECK}
     * @param collations the collations with a changed version it depends on ({@code default}: the database's)
     * @param error      the server's message for CORRUPT, NOT_CHECKED and NO_AMCHECK
     */
    public record Outcome(String database, String index, String table, String method, List<String> collations,
                          Status status, String error) {
    }

    /** Checks the indexes in every database; a database without such indexes is not touched. */
    public static List<Outcome> run(List<String> databases, Function<String, SqlSession> connect) {
        List<Outcome> out = new ArrayList<>();
        for (String db : databases) {
            try (SqlSession s = connect.apply(db)) {
                out.addAll(run(s, db));
            }
        }
        return List.copyOf(out);
    }

    /** One index to check, with every stale collation it depends on. */
    private record Target(String oid, String index, String table, String method, boolean valid,
                          Set<String> collations) {
    }

    static List<Outcome> run(SqlSession s, String db) {
        // a session handed in inside an imported snapshot (read only) is ended first: amcheck needs none
        s.execute("ROLLBACK");
        int major = Integer.parseInt(s.query("SHOW server_version_num").get(0).get("server_version_num")) / 10000;
        Map<String, Target> targets = new LinkedHashMap<>();
        for (SqlRow r : s.query(CollationVersionSql.dependentIndexes(major, null))) {
            String collation = r.get("schema_name") == null ? "default"
                    : SqlIdentifiers.qualified(r.get("schema_name"), r.get("collation_name"));
            targets.computeIfAbsent(r.get("index_oid"), oid -> new Target(oid,
                    SqlIdentifiers.qualified(r.get("index_schema"), r.get("index_name")),
                    SqlIdentifiers.qualified(r.get("table_schema"), r.get("table_name")), r.get("index_method"),
                    r.getBool("index_valid"), new TreeSet<>())).collations().add(collation);
        }
        List<Outcome> out = new ArrayList<>();
        List<Target> btree = new ArrayList<>();
        for (Target t : targets.values()) {
            if (!"btree".equals(t.method())) {
                out.add(outcome(db, t, Status.NOT_BTREE, null));
            } else if (!t.valid()) {
                out.add(outcome(db, t, Status.NOT_CHECKED, "the index is not valid (a failed CREATE INDEX"
                        + " CONCURRENTLY?): REINDEX it"));
            } else {
                btree.add(t);
            }
        }
        if (btree.isEmpty()) {
            return out;
        }
        s.execute("BEGIN");
        try {
            String schema = amcheckSchema(s);
            if (schema == null) {
                try {
                    s.execute("CREATE EXTENSION amcheck SCHEMA pg_catalog");
                    schema = "pg_catalog";
                } catch (TransportException e) {
                    out.add(new Outcome(db, null, null, null, List.of(), Status.NO_AMCHECK, e.getMessage()));
                    btree.forEach(t -> out.add(outcome(db, t, Status.NOT_CHECKED, "amcheck is not available")));
                    return out;
                }
            }
            for (Target t : btree) {
                out.add(check(s, db, schema, t));
            }
            return out;
        } finally {
            s.execute("ROLLBACK");
        }
    }

    private static String amcheckSchema(SqlSession s) {
        List<SqlRow> rows = s.query("SELECT n.nspname::text AS schema_name FROM pg_catalog.pg_extension e"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'");
        return rows.isEmpty() ? null : rows.get(0).get("schema_name");
    }

    private static Outcome check(SqlSession s, String db, String schema, Target t) {
        s.execute("SAVEPOINT pgmigrate_amcheck");
        try {
            s.query("SELECT " + SqlIdentifiers.quote(schema) + ".bt_index_check(" + Long.parseLong(t.oid())
                    + "::pg_catalog.oid::pg_catalog.regclass, false)::text AS checked");
            return outcome(db, t, Status.PASSED, null);
        } catch (TransportException e) {
            return outcome(db, t, CORRUPTION.contains(e.sqlState()) ? Status.CORRUPT : Status.NOT_CHECKED,
                    e.getMessage());
        } finally {
            // releases the index's lock too; nothing of the check is kept
            s.execute("ROLLBACK TO SAVEPOINT pgmigrate_amcheck");
        }
    }

    private static Outcome outcome(String db, Target t, Status status, String error) {
        return new Outcome(db, t.index(), t.table(), t.method(), List.copyOf(t.collations()), status, error);
    }

    /** The report's check over what was measured. */
    public static CheckResult result(List<Outcome> outcomes) {
        String check = CHECK;
        if (outcomes.isEmpty()) {
            return CheckResult.of(check, "no index depends on a collation whose recorded version differs from the"
                    + " server's libc/ICU: nothing to check", List.of(), List.of(), List.of());
        }
        List<String> failures = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int passed = 0;
        for (Outcome o : outcomes) {
            String what = "db " + o.database() + ": index " + o.index() + " on " + o.table() + " (collation "
                    + String.join(", ", o.collations()) + ")";
            switch (o.status()) {
                case PASSED -> passed++;
                case CORRUPT -> failures.add(what + ": " + o.error() + "; REINDEX INDEX " + o.index());
                case NOT_CHECKED -> warnings.add(what + " not checked: " + o.error());
                case NO_AMCHECK -> warnings.add("db " + o.database() + ": amcheck could not be created (" + o.error()
                        + "); install the target version's contrib modules, or check by hand");
                case NOT_BTREE -> notes.add(what + " is a " + o.method() + " index, which amcheck cannot check:"
                        + " REINDEX INDEX " + o.index() + " to be sure");
            }
        }
        long btree = outcomes.stream().filter(o -> o.index() != null && o.status() != Status.NOT_BTREE).count();
        notes.add("checked: btree indexes on collations whose recorded version differs from what this server's"
                + " libc/ICU provides; after they pass or are rebuilt, ALTER COLLATION … REFRESH VERSION / ALTER"
                + " DATABASE … REFRESH COLLATION VERSION records the new version");
        return CheckResult.of(check, passed + " of " + btree + " btree index(es) on a collation whose version"
                + " changed are in order (bt_index_check)", failures, warnings, notes);
    }
}
