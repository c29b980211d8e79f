package io.pgmigrate.check.catalog;

import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

/** User-defined postfix (right-unary) operators, removed in 14. Source ≤ 13. */
final class PostfixOperators extends RowsCheck {
    static final String ID = "postfix-operators";

    PostfixOperators() {
        super(ID, Probe.Scope.EACH_DATABASE, Severity.BLOCKER, "User-defined postfix operators",
                "PostgreSQL 14 removed postfix operators, so their definitions cannot be restored.",
                "Drop them (replace their uses by prefix operators or function calls):");
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtMost(1300) && path.targetAtLeast(1400);
    }

    @Override
    String sql(UpgradePath path) {
        return "SELECT n.nspname::text AS schema_name, o.oprname::text AS operator_name,"
                + " pg_catalog.format_type(o.oprleft, NULL) AS left_type"
                + " FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace"
                + " WHERE o.oprright = 0 AND o.oid >= 16384"
                + " ORDER BY n.nspname, o.oprname, o.oid";
    }

    @Override
    String object(ProbeRow r) {
        return Names.inDb(r.database()) + "operator " + Names.ident(r.get("schema_name")) + "."
                + r.get("operator_name") + " " + signature(r);
    }

    @Override
    String fix(ProbeRow r) {
        return "DROP OPERATOR " + SqlIdentifiers.quote(r.get("schema_name")) + "." + r.get("operator_name") + " "
                + signature(r) + ";";
    }

    private static String signature(ProbeRow r) {
        return "(" + r.get("left_type") + ", NONE)";
    }
}
