package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * pg_upgrade's data type usage search, shared by every "stored column of type X" check: finds columns of
 * tables, partitioned tables, materialized views and indexes (not views: they store nothing) whose type
 * is one of the base types, or is built on one through domains, arrays, composite types (including
 * table row types), ranges and multiranges, at any depth. System schemas and temporary schemas are left
 * out. One catalog pass per database, whatever the number of tables.
 *
 * <p>Subclasses only say which types, from which source versions, why, and what to change the column to.
 */
abstract class TypeUsageCheck implements PreCheck {
    /** Probe columns. */
    static final String SCHEMA = "schema_name";
    static final String RELATION = "relation_name";
    static final String RELKIND = "relkind";
    static final String COLUMN = "column_name";
    static final String TYPE = "type_name";
    static final String INHERITED = "inherited_count";
    static final String INDEX_TABLE = "index_table";

    private final String id;
    private final String title;
    private final String why;
    private final String replacement;
    private final Predicate<UpgradePath> applies;

    /**
     * @param replacement the type to change a column to (its values cast through text), or null when
     *                    the column has to be dropped
     */
    TypeUsageCheck(String id, String title, String why, String replacement, Predicate<UpgradePath> applies) {
        this.id = id;
        this.title = title;
        this.why = why;
        this.replacement = replacement;
        this.applies = applies;
    }

    /** A SELECT returning one column named {@code oid}: the pg_type OIDs of the problem types. */
    abstract String baseTypesQuery();

    /** pg_catalog (or another schema's) types by name; never fails when a type does not exist there. */
    static String typesNamed(String schema, String... typeNames) {
        String names = java.util.Arrays.stream(typeNames).map(SqlIdentifiers::literal)
                .collect(Collectors.joining(", "));
        return "SELECT t.oid FROM pg_catalog.pg_type t"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                + " WHERE n.nspname = " + SqlIdentifiers.literal(schema) + " AND t.typname IN (" + names + ")";
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return applies.test(path);
    }

    /** Whether the facts (not only the path) say the check is relevant; see the jsonb check. */
    boolean relevant(CheckInput input) {
        return true;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(id, Probe.Scope.EACH_DATABASE, usageQuery(baseTypesQuery(), path)));
    }

    static String usageQuery(String baseTypes, UpgradePath path) {
        // Multiranges exist from 14 on; pg_upgrade itself does not follow them.
        String multiranges = path.sourceAtLeast(1400)
                ? "      UNION ALL SELECT r.rngmultitypid FROM pg_catalog.pg_range r JOIN x ON r.rngtypid = x.oid\n"
                : "";
        return "WITH RECURSIVE problem_types(oid) AS (\n"
                + "    " + baseTypes + "\n"
                + "  UNION\n"
                + "    SELECT derived.oid FROM (\n"
                + "      WITH x AS (SELECT oid FROM problem_types)\n"
                // domains over a problem type
                + "      SELECT d.oid FROM pg_catalog.pg_type d JOIN x ON d.typbasetype = x.oid WHERE d.typtype = 'd'\n"
                // arrays of a problem type
                + "      UNION ALL SELECT t.typarray FROM pg_catalog.pg_type t JOIN x ON t.oid = x.oid WHERE t.typarray <> 0\n"
                // row types (composite types, tables, views) with an attribute of a problem type
                + "      UNION ALL SELECT c.reltype FROM pg_catalog.pg_attribute a JOIN x ON a.atttypid = x.oid\n"
                + "        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid\n"
                // system columns (attnum < 0) are oid, tid, xid, cid: never a problem type, and most of the rows
                + "        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.reltype <> 0\n"
                // ranges over a problem type
                + "      UNION ALL SELECT r.rngtypid FROM pg_catalog.pg_range r JOIN x ON r.rngsubtype = x.oid\n"
                + multiranges
                + "    ) derived(oid)\n"
                + ")\n"
                + "SELECT n.nspname::text AS " + SCHEMA + ", c.relname::text AS " + RELATION + ",\n"
                + "       c.relkind::text AS " + RELKIND + ", a.attname::text AS " + COLUMN + ",\n"
                + "       pg_catalog.format_type(a.atttypid, a.atttypmod) AS " + TYPE + ",\n"
                + "       a.attinhcount::text AS " + INHERITED + ", it.relname::text AS " + INDEX_TABLE + "\n"
                + "FROM pg_catalog.pg_attribute a\n"
                + "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid\n"
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
                + "LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid\n"
                + "LEFT JOIN pg_catalog.pg_class it ON it.oid = i.indrelid\n"
                + "WHERE a.atttypid IN (SELECT oid FROM problem_types)\n"
                + "  AND a.attnum > 0 AND NOT a.attisdropped\n"
                + "  AND c.relkind IN ('r', 'p', 'm', 'i')\n"
                + "  AND n.nspname NOT IN ('pg_catalog', 'information_schema')\n"
                + "  AND n.nspname !~ '^pg_temp_' AND n.nspname !~ '^pg_toast_temp_'\n"
                + "ORDER BY n.nspname, c.relname, a.attnum";
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        List<ProbeRow> rows = input.probe(id);
        if (rows.isEmpty() || !relevant(input)) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        for (ProbeRow r : rows) {
            objects.add(Names.inDb(r.database()) + kindPrefix(r.get(RELKIND))
                    + Names.qualified(r.get(SCHEMA), r.get(RELATION)) + "." + Names.ident(r.get(COLUMN))
                    + " (" + r.get(TYPE) + ")");
        }
        String detail = why + " pg_upgrade refuses such clusters (found " + rows.size() + " column"
                + (rows.size() == 1 ? "" : "s") + ").";
        return List.of(Finding.blocker(id, title, detail, objects, fix(rows)));
    }

    private static String kindPrefix(String relkind) {
        return switch (relkind) {
            case "m" -> "materialized view ";
            case "i" -> "index ";
            default -> "";
        };
    }

    private String fix(List<ProbeRow> rows) {
        FixScript script = new FixScript();
        rows.forEach(r -> script.declare(r.database()));
        // materialized views first (they block ALTER COLUMN TYPE), then tables, then indexes left over
        for (ProbeRow r : rows) {
            if ("m".equals(r.get(RELKIND))) {
                script.add(r.database(), "DROP MATERIALIZED VIEW " + table(r) + ";  -- recreate it after the upgrade");
            }
        }
        Set<String> alteredTables = new HashSet<>();
        for (ProbeRow r : rows) {
            String kind = r.get(RELKIND);
            if (("r".equals(kind) || "p".equals(kind)) && "0".equals(r.get(INHERITED))) {
                String column = SqlIdentifiers.quote(r.get(COLUMN));
                script.add(r.database(), replacement == null
                        ? "ALTER TABLE " + table(r) + " DROP COLUMN " + column + ";"
                        : "ALTER TABLE " + table(r) + " ALTER COLUMN " + column + " TYPE " + replacement
                          + " USING " + column + "::" + replacement + ";");
            }
            if ("r".equals(kind) || "p".equals(kind)) {
                alteredTables.add(r.database() + "\0" + r.get(SCHEMA) + "\0" + r.get(RELATION));
            }
        }
        for (ProbeRow r : rows) {
            if ("i".equals(r.get(RELKIND))
                    && !alteredTables.contains(r.database() + "\0" + r.get(SCHEMA) + "\0" + r.get(INDEX_TABLE))) {
                script.add(r.database(), "DROP INDEX " + table(r) + ";  -- recreate it after the upgrade");
            }
        }
        String lead = replacement == null
                ? "Drop the listed columns before the upgrade (inherited columns go with their parent's; views"
                  + " using a column must be dropped first and recreated):"
                : "Change the listed columns to " + replacement + " before the upgrade (inherited columns follow"
                  + " their parent; indexes on them are rebuilt; views using a column must be dropped first and"
                  + " recreated), or drop them:";
        return script.render(lead);
    }

    private static String table(ProbeRow r) {
        return SqlIdentifiers.qualified(r.get(SCHEMA), r.get(RELATION));
    }
}
