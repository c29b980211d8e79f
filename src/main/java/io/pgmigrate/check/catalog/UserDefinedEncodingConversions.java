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

/** User-defined encoding conversions: their functions' signature changed in 14. Source ≤ 13. */
final class UserDefinedEncodingConversions implements PreCheck {
    static final String ID = "user-defined-encoding-conversions";

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
                "SELECT n.nspname::text AS schema_name, c.conname::text AS conversion_name"
                        + " FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace"
                        + " WHERE c.oid >= 16384 ORDER BY n.nspname, c.conname"));
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
            objects.add(Names.inDb(r.database()) + "conversion "
                    + Names.qualified(r.get("schema_name"), r.get("conversion_name")));
            fix.add(r.database(), "DROP CONVERSION "
                    + SqlIdentifiers.qualified(r.get("schema_name"), r.get("conversion_name")) + ";");
        }
        return List.of(Finding.blocker(ID, "User-defined encoding conversions",
                "The parameters of encoding conversion functions changed in PostgreSQL 14, so user-defined"
                        + " conversions cannot be carried over.",
                objects, fix.render("Drop them before the upgrade and recreate them afterwards with conversion"
                        + " functions written for the new signature:")));
    }
}
