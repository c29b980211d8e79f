package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.ArrayList;
import java.util.List;

/**
 * LZ4 TOAST compression in use (columns with COMPRESSION lz4, or default_toast_compression = lz4 for the
 * server, a database or a role) while the target is built without LZ4: the schema restore fails on
 * COMPRESSION lz4, and values already compressed with lz4 cannot be read by the new server. Source ≥ 14.
 */
final class Lz4CompressedColumns implements PreCheck {
    static final String ID = "lz4-compressed-columns";
    static final String SETTINGS_PROBE = ID + ".settings";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.sourceAtLeast(1400);
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(
                new Probe(ID, Probe.Scope.EACH_DATABASE,
                        "SELECT n.nspname::text AS schema_name, c.relname::text AS relation_name,"
                                + " c.relkind::text AS relkind, a.attname::text AS column_name"
                                + " FROM pg_catalog.pg_attribute a"
                                + " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                                + " WHERE a.attcompression = 'l' AND a.attnum > 0 AND NOT a.attisdropped"
                                + " AND c.relkind IN ('r', 'p', 'm')"
                                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                                + " AND n.nspname !~ '^pg_temp_' AND n.nspname !~ '^pg_toast_temp_'"
                                + " ORDER BY n.nspname, c.relname, a.attnum"),
                new Probe(SETTINGS_PROBE, Probe.Scope.CLUSTER,
                        "SELECT 'server' AS scope, NULL::text AS database_name, NULL::text AS role_name"
                                + " FROM pg_catalog.pg_settings s"
                                + " WHERE s.name = 'default_toast_compression' AND s.setting = 'lz4'"
                                // database and role overrides are listed below, each for itself
                                + " AND s.source NOT IN ('database', 'user', 'database user')"
                                + " UNION ALL"
                                + " SELECT 'override', d.datname::text, r.rolname::text"
                                + " FROM pg_catalog.pg_db_role_setting s"
                                + " LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase"
                                + " LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole"
                                + " CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) AS cfg(setting)"
                                + " WHERE cfg.setting ~* '^default_toast_compression=''?lz4''?$'"
                                + " ORDER BY 1, 2, 3"));
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        if (TargetBuild.hasLz4(input)) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        FixScript fix = new FixScript();
        for (ProbeRow r : input.probe(ID)) {
            String prefix = "m".equals(r.get("relkind")) ? "materialized view " : "";
            objects.add(Names.inDb(r.database()) + prefix + Names.qualified(r.get("schema_name"),
                    r.get("relation_name")) + "." + Names.ident(r.get("column_name")) + " (COMPRESSION lz4)");
            fix.add(r.database(), ("m".equals(r.get("relkind")) ? "ALTER MATERIALIZED VIEW " : "ALTER TABLE ")
                    + SqlIdentifiers.qualified(r.get("schema_name"), r.get("relation_name")) + " ALTER COLUMN "
                    + SqlIdentifiers.quote(r.get("column_name")) + " SET COMPRESSION pglz;");
        }
        for (ProbeRow r : input.probe(SETTINGS_PROBE)) {
            String db = r.get("database_name");
            String role = r.get("role_name");
            if ("server".equals(r.get("scope"))) {
                objects.add("setting default_toast_compression = lz4 (server)");
                fix.add(FixScript.ANY_DATABASE, "ALTER SYSTEM SET default_toast_compression = pglz;"
                        + "  -- and remove it from postgresql.conf; then SELECT pg_reload_conf();");
            } else {
                String where = (role == null ? "" : " for role " + Names.ident(role))
                        + (db == null ? "" : (role == null ? " for database " : " in database ") + Names.ident(db));
                objects.add("setting default_toast_compression = lz4" + where);
                fix.add(FixScript.ANY_DATABASE, (role == null
                        ? "ALTER DATABASE " + SqlIdentifiers.quote(db)
                        : "ALTER ROLE " + SqlIdentifiers.quote(role) + (db == null ? ""
                          : " IN DATABASE " + SqlIdentifiers.quote(db)))
                        + " RESET default_toast_compression;");
            }
        }
        if (objects.isEmpty()) {
            return List.of();
        }
        return List.of(Finding.blocker(ID, "LZ4 compression in use, but the target is built without LZ4",
                "The target binaries are built without --with-lz4: the schema restore inside pg_upgrade fails on"
                        + " COMPRESSION lz4, and data already compressed with lz4 (in these columns, or in any"
                        + " column while default_toast_compression is lz4) would be unreadable in the new"
                        + " cluster. pg_upgrade --check does not detect it.",
                objects, fix.render("Use target binaries built with --with-lz4 (distribution packages are)."
                        + " Otherwise switch to pglz, then rewrite the values already compressed with lz4: SET"
                        + " COMPRESSION only affects new values, and neither VACUUM FULL nor CLUSTER recompresses"
                        + " (dump and restore the affected tables):")));
    }
}
