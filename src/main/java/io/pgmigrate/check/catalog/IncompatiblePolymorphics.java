package io.pgmigrate.check.catalog;

import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * User-defined aggregates and operators built on the built-in array functions that took anyarray /
 * anyelement before 14 and take anycompatiblearray / anycompatible since: their definitions no longer
 * restore. Source ≤ 13.
 */
final class IncompatiblePolymorphics extends RowsCheck {
    static final String ID = "incompatible-polymorphics";

    IncompatiblePolymorphics() {
        super(ID, Probe.Scope.EACH_DATABASE, Severity.BLOCKER,
                "Aggregates and operators using the old polymorphic array functions",
                "Since PostgreSQL 14 the built-in array functions take anycompatiblearray/anycompatible instead of"
                        + " anyarray/anyelement, so these definitions cannot be restored.",
                "Drop them before the upgrade and recreate them afterwards on the anycompatible variants:");
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtMost(1300) && path.targetAtLeast(1400);
    }

    /** The built-in functions whose signatures changed, as the source version has them. */
    static List<String> changedFunctions(UpgradePath path) {
        List<String> f = new ArrayList<>(List.of("array_append(anyarray,anyelement)",
                "array_cat(anyarray,anyarray)", "array_prepend(anyelement,anyarray)"));
        if (path.sourceAtLeast(903)) {
            f.addAll(List.of("array_remove(anyarray,anyelement)", "array_replace(anyarray,anyelement,anyelement)"));
        }
        if (path.sourceAtLeast(905)) {
            f.addAll(List.of("array_position(anyarray,anyelement)", "array_position(anyarray,anyelement,integer)",
                    "array_positions(anyarray,anyelement)", "width_bucket(anyelement,anyarray)"));
        }
        return f;
    }

    @Override
    String sql(UpgradePath path) {
        String functions = "ARRAY[" + changedFunctions(path).stream().map(SqlIdentifiers::literal)
                .collect(Collectors.joining(", ")) + "]::pg_catalog.regprocedure[]";
        String polymorphic = "ARRAY['anyarray', 'anyelement']::pg_catalog.regtype[]";
        return "SELECT 'aggregate' AS kind, n.nspname::text AS schema_name, p.proname::text AS object_name,"
                + " pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments"
                + " FROM pg_catalog.pg_proc p"
                + " JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE p.oid >= 16384 AND a.aggtranstype = ANY (" + polymorphic + ")"
                + " AND (a.aggtransfn = ANY (" + functions + ") OR a.aggfinalfn = ANY (" + functions + "))"
                + " UNION ALL"
                + " SELECT 'operator', n.nspname::text, o.oprname::text,"
                + " pg_catalog.format_type(o.oprleft, NULL) || ', ' || pg_catalog.format_type(o.oprright, NULL)"
                + " FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace"
                + " WHERE o.oid >= 16384 AND o.oprcode = ANY (" + functions + ")"
                + " AND o.oprleft = ANY (" + polymorphic + ")"
                + " ORDER BY 1, 2, 3, 4";
    }

    @Override
    String object(ProbeRow r) {
        if (isOperator(r)) {
            return Names.inDb(r.database()) + "operator " + Names.ident(r.get("schema_name")) + "."
                    + r.get("object_name") + " (" + r.get("arguments") + ")";
        }
        return Names.inDb(r.database()) + "aggregate "
                + Names.qualified(r.get("schema_name"), r.get("object_name")) + "(" + r.get("arguments") + ")";
    }

    @Override
    String fix(ProbeRow r) {
        if (isOperator(r)) {
            return "DROP OPERATOR " + SqlIdentifiers.quote(r.get("schema_name")) + "."
                    + r.get("object_name") + " (" + r.get("arguments") + ");";
        }
        return "DROP AGGREGATE " + SqlIdentifiers.qualified(r.get("schema_name"),
                r.get("object_name")) + "(" + r.get("arguments") + ");";
    }

    private static boolean isOperator(ProbeRow r) {
        return "operator".equals(r.get("kind"));
    }
}
