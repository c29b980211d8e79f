package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;

import java.util.ArrayList;
import java.util.List;

/**
 * The source uses ICU (a database's locale provider, a user-defined ICU collation, or an object that
 * depends on an ICU collation, predefined ones like "und-x-icu" included) while the target binaries are
 * built without ICU: initdb creates no ICU collations there and the schema restore inside pg_upgrade
 * fails. pg_upgrade --check does not see it.
 */
final class IcuCollationsWithoutIcu implements PreCheck {
    static final String ID = "icu-collations-without-icu";
    static final String DATABASES_PROBE = ID + ".databases";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        List<Probe> probes = new ArrayList<>();
        if (path.sourceAtLeast(1500)) {
            // databases with the ICU provider exist from 15 on; the locale column was renamed in 17
            String locale = path.sourceAtLeast(1700) ? "d.datlocale" : "d.daticulocale";
            probes.add(new Probe(DATABASES_PROBE, Probe.Scope.CLUSTER,
                    "SELECT d.datname::text AS database_name, " + locale + "::text AS icu_locale"
                            + " FROM pg_catalog.pg_database d WHERE d.datlocprovider = 'i' ORDER BY d.datname"));
        }
        probes.add(new Probe(ID, Probe.Scope.EACH_DATABASE,
                "WITH icu AS (SELECT c.oid, n.nspname, c.collname FROM pg_catalog.pg_collation c"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace WHERE c.collprovider = 'i')"
                        + " SELECT 'collation' AS kind, icu.nspname::text AS schema_name,"
                        + " icu.collname::text AS collation_name, NULL::text AS object_type,"
                        + " NULL::text AS object_identity"
                        + " FROM icu WHERE icu.oid >= 16384"
                        + " UNION ALL"
                        + " SELECT DISTINCT 'use', icu.nspname::text, icu.collname::text, o.type, o.identity"
                        + " FROM pg_catalog.pg_depend d JOIN icu ON icu.oid = d.refobjid"
                        + " CROSS JOIN LATERAL pg_catalog.pg_identify_object(d.classid, d.objid, d.objsubid) o"
                        + " WHERE d.refclassid = 'pg_catalog.pg_collation'::pg_catalog.regclass"
                        + " ORDER BY 1, 2, 3, 5"));
        return probes;
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        if (TargetBuild.hasIcu(input)) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        for (ProbeRow r : input.probe(DATABASES_PROBE)) {
            objects.add("database " + Names.ident(r.get("database_name")) + " (ICU locale " + r.get("icu_locale")
                    + ")");
        }
        for (ProbeRow r : input.probe(ID)) {
            String collation = Names.qualified(r.get("schema_name"), r.get("collation_name"));
            objects.add(Names.inDb(r.database()) + ("collation".equals(r.get("kind"))
                    ? "collation " + collation + " (ICU)"
                    : r.get("object_type") + " " + r.get("object_identity") + " uses collation " + collation));
        }
        if (objects.isEmpty()) {
            return List.of();
        }
        return List.of(Finding.blocker(ID, "ICU in use, but the target is built without ICU",
                "The target binaries are built without ICU support: the new cluster cannot have ICU"
                        + " databases or collations, so pg_upgrade's schema restore fails on these objects"
                        + " (pg_upgrade --check does not detect it).",
                objects, "Use target binaries built with ICU (distribution packages are; a source build needs"
                        + " --with-icu, or must not say --without-icu). Otherwise, before the upgrade, move these"
                        + " objects to libc or builtin collations (ALTER TABLE … ALTER COLUMN … TYPE … COLLATE"
                        + " \"C\", recreate the indexes and views, DROP COLLATION …) and recreate ICU databases"
                        + " with a libc locale (dump, CREATE DATABASE … LOCALE_PROVIDER libc, restore)."));
    }
}
