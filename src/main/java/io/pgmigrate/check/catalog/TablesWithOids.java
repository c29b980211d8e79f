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

/** Tables declared WITH OIDS, not supported since 12. Source ≤ 11. */
final class TablesWithOids implements PreCheck {
    static final String ID = "tables-with-oids";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtMost(1100) && path.targetAtLeast(1200);
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.EACH_DATABASE,
                "SELECT n.nspname::text AS schema_name, c.relname::text AS table_name"
                        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relhasoids AND n.nspname <> 'pg_catalog'"
                        + " ORDER BY n.nspname, c.relname"));
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
            objects.add(Names.inDb(r.database()) + Names.qualified(r.get("schema_name"), r.get("table_name")));
            fix.add(r.database(), "ALTER TABLE " + SqlIdentifiers.qualified(r.get("schema_name"),
                    r.get("table_name")) + " SET WITHOUT OIDS;");
        }
        return List.of(Finding.blocker(ID, "Tables declared WITH OIDS",
                "PostgreSQL 12 removed WITH OIDS tables. Code that reads their oid column must be changed too.",
                objects, fix.render("Remove the oid column (this rewrites each table):")));
    }
}
