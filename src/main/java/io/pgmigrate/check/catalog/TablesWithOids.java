package io.pgmigrate.check.catalog;

import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

/** Tables declared WITH OIDS, not supported since 12. Source ≤ 11. */
final class TablesWithOids extends RowsCheck {
    static final String ID = "tables-with-oids";

    TablesWithOids() {
        super(ID, Probe.Scope.EACH_DATABASE, Severity.BLOCKER, "Tables declared WITH OIDS",
                "PostgreSQL 12 removed WITH OIDS tables. Code that reads their oid column must be changed too.",
                "Remove the oid column (this rewrites each table):");
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtMost(1100) && path.targetAtLeast(1200);
    }

    @Override
    String sql(UpgradePath path) {
        return "SELECT n.nspname::text AS schema_name, c.relname::text AS table_name"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relhasoids AND n.nspname <> 'pg_catalog'"
                + " ORDER BY n.nspname, c.relname";
    }

    @Override
    String object(ProbeRow r) {
        return Names.inDb(r.database()) + Names.qualified(r.get("schema_name"), r.get("table_name"));
    }

    @Override
    String fix(ProbeRow r) {
        return "ALTER TABLE " + SqlIdentifiers.qualified(r.get("schema_name"), r.get("table_name"))
                + " SET WITHOUT OIDS;";
    }
}
