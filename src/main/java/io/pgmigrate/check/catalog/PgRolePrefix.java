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

/** Roles named pg_*, a prefix reserved for system roles since 9.6. Source ≤ 9.5. */
final class PgRolePrefix implements PreCheck {
    static final String ID = "pg-role-prefix";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtMost(905);
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.CLUSTER,
                "SELECT r.rolname::text AS role_name FROM pg_catalog.pg_roles r"
                        + " WHERE r.rolname ~ '^pg_' ORDER BY r.rolname"));
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
            String role = r.get("role_name");
            objects.add("role " + Names.ident(role));
            fix.add(FixScript.ANY_DATABASE, "ALTER ROLE " + SqlIdentifiers.quote(role) + " RENAME TO "
                    + SqlIdentifiers.quote(role.substring("pg_".length()) + "_role") + ";");
        }
        return List.of(Finding.blocker(ID, "Roles whose names start with pg_",
                "The pg_ prefix is reserved for system roles since PostgreSQL 9.6.",
                objects, fix.render("Rename them (the new names are suggestions; a renamed role loses an"
                        + " MD5 password):")));
    }
}
