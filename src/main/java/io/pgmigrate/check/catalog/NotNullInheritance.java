package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before 18 an inheritance child could lose a NOT NULL its parent has (ALTER TABLE child ALTER col DROP
 * NOT NULL); 18 makes NOT NULL an inherited constraint and the schema restore fails on such a child.
 * Source ≤ 17, target ≥ 18.
 */
final class NotNullInheritance implements PreCheck {
    static final String ID = "not-null-inheritance";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtMost(1700) && path.targetAtLeast(1800);
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.EACH_DATABASE,
                "SELECT cn.nspname::text AS schema_name, cc.relname::text AS table_name,"
                        + " ca.attname::text AS column_name,"
                        + " pn.nspname::text AS parent_schema, pc.relname::text AS parent_table"
                        + " FROM pg_catalog.pg_inherits i"
                        + " JOIN pg_catalog.pg_attribute pa ON pa.attrelid = i.inhparent"
                        + " AND pa.attnum > 0 AND NOT pa.attisdropped AND pa.attnotnull"
                        + " JOIN pg_catalog.pg_attribute ca ON ca.attrelid = i.inhrelid"
                        + " AND ca.attname = pa.attname AND NOT ca.attisdropped AND NOT ca.attnotnull"
                        + " JOIN pg_catalog.pg_class cc ON cc.oid = i.inhrelid"
                        + " JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace"
                        + " JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent"
                        + " JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace"
                        + " ORDER BY cn.nspname, cc.relname, ca.attnum, pn.nspname, pc.relname"));
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        List<ProbeRow> rows = input.probe(ID);
        if (rows.isEmpty()) {
            return List.of();
        }
        // one object per child column, naming every parent that has the NOT NULL
        Map<String, List<String>> parents = new LinkedHashMap<>();
        Map<String, ProbeRow> firstRow = new LinkedHashMap<>();
        for (ProbeRow r : rows) {
            String key = r.database() + "\0" + r.get("schema_name") + "\0" + r.get("table_name") + "\0"
                    + r.get("column_name");
            firstRow.putIfAbsent(key, r);
            parents.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(Names.qualified(r.get("parent_schema"), r.get("parent_table")));
        }
        List<String> objects = new ArrayList<>();
        FixScript fix = new FixScript();
        for (Map.Entry<String, ProbeRow> e : firstRow.entrySet()) {
            ProbeRow r = e.getValue();
            List<String> ps = parents.get(e.getKey());
            objects.add(Names.inDb(r.database()) + Names.qualified(r.get("schema_name"), r.get("table_name")) + "."
                    + Names.ident(r.get("column_name")) + " (NOT NULL in parent" + (ps.size() == 1 ? " " : "s ")
                    + String.join(", ", ps) + ")");
            fix.add(r.database(), "ALTER TABLE " + SqlIdentifiers.qualified(r.get("schema_name"), r.get("table_name"))
                    + " ALTER COLUMN " + SqlIdentifiers.quote(r.get("column_name")) + " SET NOT NULL;");
        }
        return List.of(Finding.blocker(ID, "Inheritance children without their parent's NOT NULL",
                "PostgreSQL 18 requires a child column to be NOT NULL when the parent's column is; the schema"
                        + " restore inside pg_upgrade fails on these columns.",
                objects, fix.render("Add the NOT NULL to the children (it fails while a child row holds NULL"
                        + " there: update or delete those rows first):")));
    }
}
