package io.pgmigrate.verify;

import java.util.ArrayList;
import java.util.List;

import static io.pgmigrate.verify.SchemaSql.aclOrDefault;
import static io.pgmigrate.verify.SchemaSql.notInExtension;
import static io.pgmigrate.verify.SchemaSql.relationName;
import static io.pgmigrate.verify.SchemaSql.sortedArray;
import static io.pgmigrate.verify.SchemaSql.userSchema;

/**
 * The catalog queries of a schema inventory, one per kind of object, each for the whole database; here
 * the objects of the database itself (schemas, extensions, collations, publications, event triggers,
 * default privileges), the others in {@link SchemaObjectQueries} and {@link SchemaRelationQueries}. The
 * queries work on PostgreSQL 13 to 18: a column that was renamed or added is read through to_jsonb, and
 * where a catalog or function is newer than the server, the query for that server leaves it out (what an
 * older server cannot hold: publication row filters, column lists and schemas before 15).
 */
final class SchemaQueries {
    private SchemaQueries() {
    }

    /** All queries, as a server of that major version runs them. */
    static List<SchemaQuery> all(int major) {
        List<SchemaQuery> all = new ArrayList<>(List.of(DATABASE, SCHEMA, EXTENSION, COLLATION));
        all.addAll(SchemaObjectQueries.all(major));
        all.addAll(SchemaRelationQueries.all());
        all.addAll(List.of(EVENT_TRIGGER, major >= 15 ? PUBLICATION : PUBLICATION_BEFORE_15, DEFAULT_PRIVILEGES));
        return all;
    }

    static final SchemaQuery DATABASE = new SchemaQuery(SchemaKind.DATABASE, """
            SELECT d.datname AS _name,
                   pg_get_userbyid(d.datdba) AS owner,
                   pg_encoding_to_char(d.encoding) AS encoding,
                   d.datcollate AS "collate",
                   d.datctype AS ctype,
                   CASE coalesce(to_jsonb(d) ->> 'datlocprovider', 'c') WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu'
                        WHEN 'b' THEN 'builtin' END AS "locale provider",
                   coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') AS "provider locale",
                   nullif(d.datconnlimit, -1)::text AS "connection limit",
                   %s AS acl,
                   (SELECT %s FROM pg_db_role_setting s WHERE s.setdatabase = d.oid AND s.setrole = 0) AS settings,
                   shobj_description(d.oid, 'pg_database') AS comment
            FROM pg_database d
            WHERE d.datname = current_database()
            """.formatted(aclOrDefault("d.datacl", 'd', "d.datdba"), sortedArray("s.setconfig")));

    static final SchemaQuery SCHEMA = new SchemaQuery(SchemaKind.SCHEMA, """
            SELECT n.nspname AS _name,
                   pg_get_userbyid(n.nspowner) AS owner,
                   %s AS acl,
                   obj_description(n.oid, 'pg_namespace') AS comment
            FROM pg_namespace n
            WHERE %s AND %s
            """.formatted(aclOrDefault("n.nspacl", 'n', "n.nspowner"), userSchema("n"),
            notInExtension("pg_namespace", "n.oid")));

    /** Extension members are not listed one by one: the extension and its version stand for them. */
    static final SchemaQuery EXTENSION = new SchemaQuery(SchemaKind.EXTENSION, """
            SELECT x.extname AS _name,
                   x.extversion AS version,
                   n.nspname AS schema,
                   pg_get_userbyid(x.extowner) AS owner
            FROM pg_extension x
            JOIN pg_namespace n ON n.oid = x.extnamespace
            """);

    /**
     * Collations created in the database (the ones initdb imports live in pg_catalog). An ICU collation's
     * locale is its provider locale, wherever the server keeps it: collcollate and collctype before 15,
     * colliculocale in 15 and 16, colllocale from 17.
     */
    static final SchemaQuery COLLATION = new SchemaQuery(SchemaKind.COLLATION, """
            SELECT n.nspname AS _schema, c.collname AS _name,
                   CASE c.collprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin'
                        ELSE 'default' END AS provider,
                   CASE WHEN c.collprovider <> 'i' THEN c.collcollate END AS "collate",
                   CASE WHEN c.collprovider <> 'i' THEN c.collctype END AS ctype,
                   coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale',
                            CASE WHEN c.collprovider = 'i' THEN c.collcollate END) AS "provider locale",
                   to_jsonb(c) ->> 'collicurules' AS "icu rules",
                   c.collisdeterministic::text AS deterministic,
                   pg_get_userbyid(c.collowner) AS owner,
                   obj_description(c.oid, 'pg_collation') AS comment
            FROM pg_collation c
            JOIN pg_namespace n ON n.oid = c.collnamespace
            WHERE %s AND %s
            """.formatted(userSchema("n"), notInExtension("pg_collation", "c.oid")));

    static final SchemaQuery EVENT_TRIGGER = new SchemaQuery(SchemaKind.EVENT_TRIGGER, """
            SELECT e.evtname AS _name,
                   e.evtevent AS event,
                   e.evtfoid::regproc::text AS function,
                   array_to_string(e.evttags, ', ') AS tags,
                   CASE e.evtenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica'
                        WHEN 'A' THEN 'always' END AS enabled,
                   pg_get_userbyid(e.evtowner) AS owner,
                   obj_description(e.oid, 'pg_event_trigger') AS comment
            FROM pg_event_trigger e
            WHERE %s
            """.formatted(notInExtension("pg_event_trigger", "e.oid")));

    /** Publications with their tables (row filter, column list) and schemas. */
    static final SchemaQuery PUBLICATION = publication("""

                               || coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                                                   FROM pg_attribute a WHERE a.attrelid = r.prrelid
                                                   AND a.attnum = ANY (r.prattrs)) || ')', '')
                               || coalesce(' WHERE ' || pg_get_expr(r.prqual, r.prrelid), '')""", """
                   (SELECT string_agg(quote_ident(sn.nspname), ', ' ORDER BY sn.nspname COLLATE "C")
                    FROM pg_publication_namespace s JOIN pg_namespace sn ON sn.oid = s.pnnspid
                    WHERE s.pnpubid = p.oid)""");

    /** Before PostgreSQL 15 a publication lists whole tables only: no row filter, column list or schema. */
    static final SchemaQuery PUBLICATION_BEFORE_15 = publication("", "NULL::text");

    /** {@code tableDetail} follows each table's name; {@code schemas} is the schemas column's expression. */
    private static SchemaQuery publication(String tableDetail, String schemas) {
        return new SchemaQuery(SchemaKind.PUBLICATION, """
            SELECT p.pubname AS _name,
                   pg_get_userbyid(p.pubowner) AS owner,
                   p.puballtables::text AS "all tables",
                   concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
                             CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END)
                       AS publish,
                   p.pubviaroot::text AS "via partition root",
                   (SELECT string_agg(entry, ', ' ORDER BY entry COLLATE "C") FROM (
                        SELECT %s%s AS entry
                        FROM pg_publication_rel r WHERE r.prpubid = p.oid) entries) AS tables,
                   %s AS schemas,
                   obj_description(p.oid, 'pg_publication') AS comment
            FROM pg_publication p
            """.formatted(relationName("r.prrelid"), tableDetail, schemas.strip()));
    }

    /** ALTER DEFAULT PRIVILEGES, per role, schema (or all schemas) and object type. */
    static final SchemaQuery DEFAULT_PRIVILEGES = new SchemaQuery(SchemaKind.DEFAULT_PRIVILEGES, """
            SELECT pg_get_userbyid(d.defaclrole) AS _role,
                   n.nspname AS _schema,
                   CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                        WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' WHEN 'L' THEN 'large objects'
                        ELSE d.defaclobjtype::text END AS _objtype,
                   coalesce(%s, '') AS acl
            FROM pg_default_acl d
            LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
            """.formatted(SchemaSql.acl("d.defaclacl")));
}
