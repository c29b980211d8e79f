package io.pgmigrate.check.catalog;

import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

/** Roles named pg_*, a prefix reserved for system roles since 9.6. Source ≤ 9.5. */
final class PgRolePrefix extends RowsCheck {
    static final String ID = "pg-role-prefix";

    PgRolePrefix() {
        super(ID, Probe.Scope.CLUSTER, Severity.BLOCKER, "Roles whose names start with pg_",
                "The pg_ prefix is reserved for system roles since PostgreSQL 9.6.",
                "Rename them (the new names are suggestions; a renamed role loses an MD5 password):");
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtMost(905);
    }

    @Override
    String sql(UpgradePath path) {
        return "SELECT r.rolname::text AS role_name FROM pg_catalog.pg_roles r"
                + " WHERE r.rolname ~ '^pg_' ORDER BY r.rolname";
    }

    @Override
    String object(ProbeRow r) {
        return "role " + Names.ident(r.get("role_name"));
    }

    @Override
    String fix(ProbeRow r) {
        String role = r.get("role_name");
        return "ALTER ROLE " + SqlIdentifiers.quote(role) + " RENAME TO "
                + SqlIdentifiers.quote(role.substring("pg_".length()) + "_role") + ";";
    }
}
