package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the schema queries on one session inside a read-only REPEATABLE READ transaction, with the
 * settings that change deparsed text pinned for that transaction only: search_path (so every name
 * outside pg_catalog is schema-qualified), DateStyle, IntervalStyle, TimeZone and extra_float_digits
 * (constants in defaults and view definitions are printed with them).
 */
final class SchemaCapture {
    static final Map<String, String> PINNED = pinned();

    private SchemaCapture() {
    }

    private static Map<String, String> pinned() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("search_path", "pg_catalog");
        m.put("DateStyle", "ISO, YMD");
        m.put("IntervalStyle", "postgres");
        m.put("TimeZone", "UTC");
        m.put("extra_float_digits", "1");
        m.put("bytea_output", "hex");
        return m;
    }

    static SchemaInventory capture(SqlSession session) {
        session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        try {
            for (Map.Entry<String, String> e : PINNED.entrySet()) {
                session.query("SELECT set_config(?, ?, true) AS v", e.getKey(), e.getValue());
            }
            int versionNum = Integer.parseInt(session.query("SELECT current_setting('server_version_num') AS v")
                    .get(0).get("v"));
            List<SchemaObject> objects = new ArrayList<>();
            for (SchemaQuery q : SchemaQueries.all(versionNum / 10000)) {
                for (SqlRow row : session.query(q.sql())) {
                    objects.add(toObject(q.kind(), row));
                }
            }
            session.execute("COMMIT");
            return new SchemaInventory(session.database(), versionNum, objects);
        } catch (RuntimeException e) {
            try {
                session.execute("ROLLBACK");
            } catch (RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    static SchemaObject toObject(SchemaKind queryKind, SqlRow row) {
        Map<String, String> parts = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        row.values().forEach((k, v) -> (k.startsWith("_") ? parts : attributes).put(k, v));
        SchemaKind kind = parts.get("_kind") == null ? queryKind : SchemaKind.valueOf(parts.get("_kind"));
        return new SchemaObject(kind, name(kind, parts), attributes);
    }

    /** The name as a DBA writes it, from the query's name columns. */
    static String name(SchemaKind kind, Map<String, String> p) {
        return switch (kind) {
            case DATABASE, SCHEMA, EXTENSION, EVENT_TRIGGER, PUBLICATION -> SchemaNames.ident(p.get("_name"));
            case COLUMN -> SchemaNames.qualified(p.get("_schema"), p.get("_table")) + "."
                    + SchemaNames.ident(p.get("_name"));
            case CONSTRAINT, TRIGGER, RULE, POLICY -> SchemaNames.ident(p.get("_name"))
                    + (p.get("_for") == null ? "" : " for " + p.get("_for")) + " on "
                    + (p.get("_on") == null ? "" : p.get("_on") + " ")
                    + SchemaNames.qualified(p.get("_schema"), p.get("_table"));
            case FUNCTION, PROCEDURE -> SchemaNames.qualified(p.get("_schema"), p.get("_name")) + "("
                    + p.get("_args") + ")";
            case DEFAULT_PRIVILEGES -> "for role " + SchemaNames.ident(p.get("_role"))
                    + (p.get("_schema") == null ? "" : " in schema " + SchemaNames.ident(p.get("_schema")))
                    + " on " + p.get("_objtype");
            default -> SchemaNames.qualified(p.get("_schema"), p.get("_name"));
        };
    }
}
