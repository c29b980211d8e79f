package io.pgmigrate.verify;

import java.util.List;

import static io.pgmigrate.verify.SchemaSql.acl;
import static io.pgmigrate.verify.SchemaSql.aclOrDefault;
import static io.pgmigrate.verify.SchemaSql.notInExtension;
import static io.pgmigrate.verify.SchemaSql.relationName;
import static io.pgmigrate.verify.SchemaSql.sortedArray;
import static io.pgmigrate.verify.SchemaSql.tablespace;
import static io.pgmigrate.verify.SchemaSql.userSchema;

/**
 * Catalog queries for tables, views and what belongs to a table (columns, constraints, indexes,
 * extended statistics, triggers, rules, policies). Definitions come from the server's deparsers (pg_get_indexdef,
 * pg_get_constraintdef, pg_get_triggerdef, pg_get_viewdef, format_type), which are stable from 15 to 18
 * except where {@link SchemaRules} says.
 */
final class SchemaRelationQueries {
    private SchemaRelationQueries() {
    }

    static List<SchemaQuery> all() {
        return List.of(TABLE, COLUMN, CONSTRAINT, INDEX, STATISTICS, VIEW, TRIGGER, RULE, POLICY);
    }

    /** Relations of a user schema that are not extension members, joined as c and n. */
    private static String userRelations(String kinds) {
        return "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN (" + kinds + ") AND "
                + userSchema("n") + " AND " + notInExtension("pg_class", "c.oid");
    }

    private static final String COMMON_RELATION = """
                   pg_get_userbyid(c.relowner) AS owner,
                   %s AS acl,
                   %s AS options,
                   %s AS tablespace,
                   obj_description(c.oid, 'pg_class') AS comment
            """.formatted(aclOrDefault("c.relacl", 'r', "c.relowner"), sortedArray("c.reloptions"),
            tablespace("c.reltablespace"));

    static final SchemaQuery TABLE = new SchemaQuery(SchemaKind.TABLE, """
            SELECT n.nspname AS _schema, c.relname AS _name,
                   CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END
                       AS kind,
                   CASE c.relpersistence WHEN 'u' THEN 'unlogged' END AS persistence,
                   CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS "partition key",
                   (SELECT %s || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
                    WHERE c.relispartition AND i.inhrelid = c.oid) AS "partition of",
                   (SELECT string_agg(%s, ', ' ORDER BY i.inhseqno) FROM pg_inherits i
                    WHERE NOT c.relispartition AND i.inhrelid = c.oid) AS "inherits",
                   (SELECT amname FROM pg_am WHERE oid = c.relam AND amname <> 'heap') AS "access method",
                   nullif(concat_ws(', ', CASE WHEN c.relrowsecurity THEN 'enabled' END,
                                    CASE WHEN c.relforcerowsecurity THEN 'forced' END), '') AS "row security",
                   CASE c.relreplident WHEN 'n' THEN 'nothing' WHEN 'f' THEN 'full' WHEN 'i' THEN 'index' END
                       AS "replica identity",
                   (SELECT s.srvname || coalesce(' ' || %s, '') FROM pg_foreign_table ft
                    JOIN pg_foreign_server s ON s.oid = ft.ftserver WHERE ft.ftrelid = c.oid) AS "foreign server",
            %s
            %s
            """.formatted(relationName("i.inhparent"), relationName("i.inhparent"), sortedArray("ft.ftoptions"),
            COMMON_RELATION, userRelations("'r', 'p', 'f'")));

    /** Columns of tables, views and materialized views; position counts live columns only. */
    static final SchemaQuery COLUMN = new SchemaQuery(SchemaKind.COLUMN, """
            SELECT n.nspname AS _schema, c.relname AS _table, a.attname AS _name,
                   row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)::text AS position,
                   format_type(a.atttypid, a.atttypmod) AS type,
                   CASE WHEN c.relkind IN ('r', 'p', 'f') THEN a.attnotnull::text END AS "not null",
                   CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS "default",
                   CASE a.attgenerated WHEN 's' THEN 'stored ' WHEN 'v' THEN 'virtual ' END
                       || pg_get_expr(ad.adbin, ad.adrelid) AS "generated",
                   CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS "identity",
                   CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation::regcollation::text END
                       AS "collation",
                   CASE WHEN a.attstorage <> t.typstorage THEN CASE a.attstorage WHEN 'p' THEN 'plain'
                        WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' ELSE 'extended' END END AS storage,
                   CASE to_jsonb(a) ->> 'attcompression' WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END AS compression,
                   nullif(a.attstattarget, -1)::text AS statistics,
                   %s AS options,
                   %s AS acl,
                   col_description(c.oid, a.attnum) AS comment
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
              AND %s AND %s
            """.formatted(sortedArray("a.attoptions"), acl("a.attacl"), userSchema("n"),
            notInExtension("pg_class", "c.oid")));

    /**
     * Table and domain constraints. NOT NULL is a column attribute: PostgreSQL 18 also lists it as a
     * constraint (contype 'n', on tables and domains), 15 does not, so those rows are left out. A foreign
     * key that references a partitioned table has a copy per referenced partition, which the server
     * makes and names itself ({@code _fkey1} before 18, {@code _1} in 18, and pg_upgrade makes them anew):
     * such a copy is named by the key it was made for (the first one up its chain of parents) and the
     * partition it references.
     */
    static final SchemaQuery CONSTRAINT = new SchemaQuery(SchemaKind.CONSTRAINT, """
            SELECT n.nspname AS _schema, coalesce(c.relname, t.typname) AS _table,
                   coalesce(derived.root, con.conname) AS _name,
                   CASE WHEN derived.root IS NOT NULL THEN %s END AS _for,
                   CASE WHEN con.contypid <> 0 THEN 'domain' END AS _on,
                   CASE con.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign key' WHEN 'p' THEN 'primary key'
                        WHEN 'u' THEN 'unique' WHEN 'x' THEN 'exclusion' WHEN 't' THEN 'trigger'
                        ELSE con.contype::text END AS type,
                   pg_get_constraintdef(con.oid) AS definition,
                   obj_description(con.oid, 'pg_constraint') AS comment
            FROM pg_constraint con
            JOIN pg_namespace n ON n.oid = con.connamespace
            LEFT JOIN pg_class c ON c.oid = con.conrelid
            LEFT JOIN pg_type t ON t.oid = con.contypid
            LEFT JOIN LATERAL (
                WITH RECURSIVE up(id, depth) AS (
                    SELECT con.conparentid, 1
                    UNION ALL
                    SELECT p.conparentid, up.depth + 1 FROM pg_constraint p JOIN up ON p.oid = up.id
                    WHERE p.conparentid <> 0)
                SELECT (SELECT r.conname FROM up JOIN pg_constraint r ON r.oid = up.id
                        ORDER BY up.depth DESC LIMIT 1) AS root
                WHERE con.contype = 'f' AND con.conparentid <> 0
                  AND (SELECT p.conrelid FROM pg_constraint p WHERE p.oid = con.conparentid) = con.conrelid
            ) derived ON true
            WHERE con.contype <> 'n' AND %s AND %s AND %s
            """.formatted(relationName("con.confrelid"), userSchema("n"), notInExtension("pg_class", "con.conrelid"),
            notInExtension("pg_type", "con.contypid")));

    static final SchemaQuery INDEX = new SchemaQuery(SchemaKind.INDEX, """
            SELECT n.nspname AS _schema, ic.relname AS _name,
                   pg_get_indexdef(i.indexrelid) AS definition,
                   i.indisvalid::text AS valid,
                   CASE WHEN i.indisclustered THEN 'true' END AS clustered,
                   CASE WHEN i.indisreplident THEN 'true' END AS "replica identity",
                   (SELECT %s FROM pg_inherits p WHERE p.inhrelid = ic.oid) AS "partition of",
                   %s AS tablespace,
                   obj_description(ic.oid, 'pg_class') AS comment
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = ic.relnamespace
            WHERE %s AND %s
            """.formatted(relationName("p.inhparent"), tablespace("ic.reltablespace"), userSchema("n"),
            notInExtension("pg_class", "i.indrelid")));

    /** Extended statistics objects (CREATE STATISTICS): the definition, not the statistics gathered. */
    static final SchemaQuery STATISTICS = new SchemaQuery(SchemaKind.STATISTICS, """
            SELECT n.nspname AS _schema, s.stxname AS _name,
                   pg_get_statisticsobjdef(s.oid) AS definition,
                   nullif(s.stxstattarget, -1)::text AS statistics,
                   pg_get_userbyid(s.stxowner) AS owner,
                   obj_description(s.oid, 'pg_statistic_ext') AS comment
            FROM pg_statistic_ext s
            JOIN pg_namespace n ON n.oid = s.stxnamespace
            WHERE %s AND %s
            """.formatted(userSchema("n"), notInExtension("pg_class", "s.stxrelid")));

    /**
     * Views and materialized views: definition as the server deparses it, plus the columns the query
     * reads (from pg_depend, by name), which stay comparable where the deparsed text does not.
     */
    static final SchemaQuery VIEW = new SchemaQuery(SchemaKind.VIEW, """
            SELECT n.nspname AS _schema, c.relname AS _name,
                   CASE c.relkind WHEN 'm' THEN 'MATERIALIZED_VIEW' ELSE 'VIEW' END AS _kind,
                   pg_get_viewdef(c.oid) AS definition,
                   (SELECT string_agg(ref, ', ' ORDER BY ref COLLATE "C") FROM (
                        SELECT DISTINCT %s || coalesce('.' || quote_ident(ra.attname), '') AS ref
                        FROM pg_rewrite r
                        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                             AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid
                        LEFT JOIN pg_attribute ra ON ra.attrelid = d.refobjid AND ra.attnum = d.refobjsubid
                             AND d.refobjsubid > 0
                        WHERE r.ev_class = c.oid) refs) AS "reads",
                   CASE WHEN c.relkind = 'm' THEN c.relispopulated::text END AS populated,
            %s
            %s
            """.formatted(relationName("d.refobjid"), COMMON_RELATION, userRelations("'v', 'm'")));

    /** User triggers (not the internal ones behind foreign keys), including clones on partitions. */
    static final SchemaQuery TRIGGER = new SchemaQuery(SchemaKind.TRIGGER, """
            SELECT n.nspname AS _schema, c.relname AS _table, g.tgname AS _name,
                   pg_get_triggerdef(g.oid) AS definition,
                   CASE g.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica'
                        WHEN 'A' THEN 'always' END AS enabled,
                   obj_description(g.oid, 'pg_trigger') AS comment
            FROM pg_trigger g
            JOIN pg_class c ON c.oid = g.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT g.tgisinternal AND %s AND %s
            """.formatted(userSchema("n"), notInExtension("pg_class", "c.oid")));

    /** Rules other than a view's own _RETURN rule. */
    static final SchemaQuery RULE = new SchemaQuery(SchemaKind.RULE, """
            SELECT n.nspname AS _schema, c.relname AS _table, r.rulename AS _name,
                   pg_get_ruledef(r.oid) AS definition,
                   CASE r.ev_enabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica'
                        WHEN 'A' THEN 'always' END AS enabled,
                   obj_description(r.oid, 'pg_rewrite') AS comment
            FROM pg_rewrite r
            JOIN pg_class c ON c.oid = r.ev_class
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE r.rulename <> '_RETURN' AND %s AND %s
            """.formatted(userSchema("n"), notInExtension("pg_class", "c.oid")));

    /** Row-level security policies. */
    static final SchemaQuery POLICY = new SchemaQuery(SchemaKind.POLICY, """
            SELECT n.nspname AS _schema, c.relname AS _table, p.polname AS _name,
                   CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update'
                        WHEN 'd' THEN 'delete' ELSE 'all' END AS command,
                   CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END AS "as",
                   (SELECT string_agg(role, ', ' ORDER BY role COLLATE "C") FROM (
                        SELECT CASE WHEN r = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(r)) END AS role
                        FROM unnest(p.polroles) r) roles) AS "to",
                   pg_get_expr(p.polqual, p.polrelid) AS "using",
                   pg_get_expr(p.polwithcheck, p.polrelid) AS "with check"
            FROM pg_policy p
            JOIN pg_class c ON c.oid = p.polrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE %s AND %s
            """.formatted(userSchema("n"), notInExtension("pg_class", "c.oid")));
}
