package io.pgmigrate.check.catalog;

import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

/** User-defined encoding conversions: their functions' signature changed in 14. Source ≤ 13. */
final class UserDefinedEncodingConversions extends RowsCheck {
    static final String ID = "user-defined-encoding-conversions";

    UserDefinedEncodingConversions() {
        super(ID, Probe.Scope.EACH_DATABASE, Severity.BLOCKER, "User-defined encoding conversions",
                "The parameters of encoding conversion functions changed in PostgreSQL 14, so user-defined"
                        + " conversions cannot be carried over.",
                "Drop them before the upgrade and recreate them afterwards with conversion"
                        + " functions written for the new signature:");
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtMost(1300) && path.targetAtLeast(1400);
    }

    @Override
    String sql(UpgradePath path) {
        return "SELECT n.nspname::text AS schema_name, c.conname::text AS conversion_name"
                + " FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace"
                + " WHERE c.oid >= 16384 ORDER BY n.nspname, c.conname";
    }

    @Override
    String object(ProbeRow r) {
        return Names.inDb(r.database()) + "conversion "
                + Names.qualified(r.get("schema_name"), r.get("conversion_name"));
    }

    @Override
    String fix(ProbeRow r) {
        return "DROP CONVERSION " + SqlIdentifiers.qualified(r.get("schema_name"), r.get("conversion_name")) + ";";
    }
}
