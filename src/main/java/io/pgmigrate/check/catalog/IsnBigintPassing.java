package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.ControlData;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * contrib/isn's types are bigint underneath and its CREATE TYPE states PASSEDBYVALUE as the old build
 * did; a source that passes int8/float8 by reference (32-bit, or built with --disable-float8-byval)
 * cannot move to a target that passes them by value (every 64-bit build of 13 or later).
 */
final class IsnBigintPassing implements PreCheck {
    static final String ID = "isn-bigint-passing";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(ID, Probe.Scope.EACH_DATABASE,
                "SELECT n.nspname::text AS schema_name, p.proname::text AS function_name,"
                        + " pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,"
                        + " e.extname::text AS extension"
                        + " FROM pg_catalog.pg_proc p"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                        + " LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
                        + " AND d.objid = p.oid AND d.deptype = 'e'"
                        + " LEFT JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid"
                        + " WHERE p.probin = '$libdir/isn'"
                        + " ORDER BY n.nspname, p.proname, p.oid"));
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        String passing = input.source().controlData().get(ControlData.FLOAT8_PASSING).orElse(null);
        if (passing == null || passing.contains("by value")) {
            return List.of();
        }
        List<ProbeRow> rows = input.probe(ID);
        if (rows.isEmpty()) {
            return List.of();
        }
        // an extension is named once per database, loose functions each
        Map<String, Integer> extensions = new LinkedHashMap<>();
        List<String> objects = new ArrayList<>();
        FixScript drops = new FixScript();
        for (ProbeRow r : rows) {
            String ext = r.get("extension");
            if (ext != null) {
                extensions.merge(r.database() + "\0" + ext, 1, Integer::sum);
                drops.add(r.database(), "DROP EXTENSION " + SqlIdentifiers.quote(ext) + " CASCADE;");
            } else {
                objects.add(Names.inDb(r.database()) + "function "
                        + Names.qualified(r.get("schema_name"), r.get("function_name"))
                        + "(" + r.get("arguments") + ") uses $libdir/isn");
                drops.add(r.database(), "DROP FUNCTION " + SqlIdentifiers.qualified(r.get("schema_name"),
                        r.get("function_name")) + "(" + r.get("arguments") + ") CASCADE;");
            }
        }
        List<String> extObjects = new ArrayList<>();
        extensions.forEach((key, count) -> {
            int zero = key.indexOf('\0');
            extObjects.add(Names.inDb(key.substring(0, zero)) + "extension " + Names.ident(key.substring(zero + 1))
                    + " (" + count + " function" + (count == 1 ? "" : "s") + " in $libdir/isn)");
        });
        extObjects.addAll(objects);
        return List.of(Finding.blocker(ID, "contrib/isn with a bigint passing mismatch",
                "The source passes bigint/float8 arguments " + passing + " (pg_controldata), the target"
                        + " passes them by value; contrib/isn's types depend on it, so pg_upgrade refuses.",
                extObjects,
                drops.render("Move isn out of the way for the upgrade: dump what uses it (pg_dump of the"
                        + " databases or tables), drop it, upgrade, then recreate the extension and restore the"
                        + " dump on the new cluster. CASCADE also drops every column of an isn type: dump first.")));
    }
}
