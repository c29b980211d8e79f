package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.inspect.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.List;

/** User-defined postfix (right-unary) operators, removed in 14. Source ≤ 13. */
final class PostfixOperators implements PreCheck {
    static final String ID = "postfix-operators";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtMost(1300) && path.targetAtLeast(1400);
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.EACH_DATABASE,
                "SELECT n.nspname::text AS schema_name, o.oprname::text AS operator_name,"
                        + " pg_catalog.format_type(o.oprleft, NULL) AS left_type"
                        + " FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace"
                        + " WHERE o.oprright = 0 AND o.oid >= 16384"
                        + " ORDER BY n.nspname, o.oprname, o.oid"));
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        List<ProbeRow> rows = input.probe(ID);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        FixScript fix = new FixScript();
        for (ProbeRow r : rows) {
            String signature = "(" + r.get("left_type") + ", NONE)";
            objects.add(Names.inDb(r.database()) + "operator " + Names.ident(r.get("schema_name")) + "."
                    + r.get("operator_name") + " " + signature);
            fix.add(r.database(), "DROP OPERATOR " + SqlIdentifiers.quote(r.get("schema_name")) + "."
                    + r.get("operator_name") + " " + signature + ";");
        }
        return List.of(Finding.blocker(ID, "User-defined postfix operators",
                "PostgreSQL 14 removed postfix operators, so their definitions cannot be restored.",
                objects, fix.render("Drop them (replace their uses by prefix operators or function calls):")));
    }
}
