package io.pgmigrate.verify;

import java.util.List;

import static io.pgmigrate.verify.SchemaSql.aclOrDefault;
import static io.pgmigrate.verify.SchemaSql.notInExtension;
import static io.pgmigrate.verify.SchemaSql.relationName;
import static io.pgmigrate.verify.SchemaSql.sortedArray;
import static io.pgmigrate.verify.SchemaSql.userSchema;

/** Catalog queries for the schema objects that are not relations: types, sequences and routines. */
final class SchemaObjectQueries {
    private SchemaObjectQueries() {
    }

    static List<SchemaQuery> all(int major) {
        return List.of(TYPE, SEQUENCE, major >= 14 ? ROUTINE : ROUTINE_BEFORE_14);
    }

    /** Enums, domains, composite types, ranges and base types; not arrays, multiranges nor row types. */
    static final SchemaQuery TYPE = new SchemaQuery(SchemaKind.TYPE, """
            SELECT n.nspname AS _schema, t.typname AS _name,
                   CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'c' THEN 'composite'
                        WHEN 'r' THEN 'range' ELSE 'base' END AS kind,
                   pg_get_userbyid(t.typowner) AS owner,
                   %s AS acl,
                   (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                    FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels,
                   CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS "base type",
                   CASE WHEN t.typtype = 'd' THEN t.typnotnull::text END AS "not null",
                   coalesce(pg_get_expr(t.typdefaultbin, 0), t.typdefault) AS "default",
                   CASE WHEN t.typtype = 'd' AND t.typcollation <> (SELECT b.typcollation FROM pg_type b
                        WHERE b.oid = t.typbasetype) THEN t.typcollation::regcollation::text END AS "collation",
                   (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                                      || CASE WHEN a.attcollation <> at.typcollation
                                              THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
                                      ', ' ORDER BY a.attnum)
                    FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
                    WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
                       AS "attributes",
                   (SELECT concat_ws(', ', 'subtype ' || format_type(r.rngsubtype, NULL),
                                     'opclass ' || (SELECT quote_ident(opcname) FROM pg_opclass WHERE oid = r.rngsubopc),
                                     CASE WHEN r.rngcollation <> 0 THEN 'collation ' || r.rngcollation::regcollation::text END,
                                     'canonical ' || nullif(r.rngcanonical::regproc::text, '-'),
                                     'subtype_diff ' || nullif(r.rngsubdiff::regproc::text, '-'),
                                     'multirange ' || (to_jsonb(r) ->> 'rngmultitypid')::oid::regtype::text)
                    FROM pg_range r WHERE r.rngtypid = t.oid) AS "range",
                   CASE WHEN t.typtype = 'b' THEN concat_ws(', ', 'input ' || t.typinput::text,
                        'output ' || t.typoutput::text, 'length ' || t.typlen, 'alignment ' || t.typalign::text) END AS "storage",
                   obj_description(t.oid, 'pg_type') AS comment
            FROM pg_type t
            JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE %s AND %s
              AND t.typtype IN ('b', 'c', 'd', 'e', 'r')
              AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
              AND NOT EXISTS (SELECT 1 FROM pg_type arr WHERE arr.typarray = t.oid)
            """.formatted(aclOrDefault("t.typacl", 'T', "t.typowner"), userSchema("n"),
            notInExtension("pg_type", "t.oid")));

    /** Everything but the current value, which is data (compared with the tables' data). */
    static final SchemaQuery SEQUENCE = new SchemaQuery(SchemaKind.SEQUENCE, """
            SELECT n.nspname AS _schema, c.relname AS _name,
                   format_type(s.seqtypid, NULL) AS type,
                   s.seqstart::text AS start,
                   s.seqincrement::text AS increment,
                   s.seqmin::text AS minvalue,
                   s.seqmax::text AS maxvalue,
                   s.seqcache::text AS cache,
                   s.seqcycle::text AS cycle,
                   CASE c.relpersistence WHEN 'u' THEN 'unlogged' END AS persistence,
                   (SELECT %s || '.' || quote_ident(a.attname)
                               || CASE d.deptype WHEN 'i' THEN ' (identity)' ELSE '' END
                    FROM pg_depend d
                    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i'))
                       AS "owned by",
                   pg_get_userbyid(c.relowner) AS owner,
                   %s AS acl,
                   obj_description(c.oid, 'pg_class') AS comment
            FROM pg_class c
            JOIN pg_sequence s ON s.seqrelid = c.oid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'S' AND %s AND %s
            """.formatted(relationName("d.refobjid"), aclOrDefault("c.relacl", 's', "c.relowner"), userSchema("n"),
            notInExtension("pg_class", "c.oid")));

    /**
     * Functions, aggregates, window functions and procedures, named by their argument types; not those a
     * range type made for itself (its constructors: an internal dependency of the type).
     */
    static final SchemaQuery ROUTINE = routine("""
                   CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid)
                        WHEN p.prokind <> 'a' THEN p.prosrc END""");

    /** Before PostgreSQL 14 there are no SQL-standard function bodies (nor pg_get_function_sqlbody). */
    static final SchemaQuery ROUTINE_BEFORE_14 = routine("""
                   CASE WHEN p.prokind <> 'a' THEN p.prosrc END""");

    private static SchemaQuery routine(String body) {
        return new SchemaQuery(SchemaKind.FUNCTION, """
            SELECT n.nspname AS _schema, p.proname AS _name, oidvectortypes(p.proargtypes) AS _args,
                   CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS _kind,
                   CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window' WHEN 'p' THEN 'procedure'
                        ELSE 'function' END AS kind,
                   pg_get_function_arguments(p.oid) AS arguments,
                   pg_get_function_result(p.oid) AS result,
                   l.lanname AS language,
                   CASE WHEN p.prokind <> 'p' THEN CASE p.provolatile WHEN 'i' THEN 'immutable'
                        WHEN 's' THEN 'stable' ELSE 'volatile' END END AS volatility,
                   CASE WHEN p.prokind <> 'p' THEN p.proisstrict::text END AS strict,
                   p.prosecdef::text AS "security definer",
                   CASE WHEN p.proleakproof THEN 'true' END AS leakproof,
                   CASE WHEN p.prokind <> 'p' THEN CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted'
                        ELSE 'unsafe' END END AS parallel,
                   CASE WHEN p.prokind <> 'p' THEN p.procost::text END AS cost,
                   CASE WHEN p.proretset THEN p.prorows::text END AS "rows",
                   nullif(p.prosupport::regproc::text, '-') AS support,
                   %s AS settings,
                   %s AS body,
                   p.probin AS library,
                   (SELECT concat_ws(', ', 'sfunc ' || g.aggtransfn::regproc::text,
                                     'stype ' || format_type(g.aggtranstype, NULL),
                                     'finalfunc ' || nullif(g.aggfinalfn::regproc::text, '-'),
                                     'combinefunc ' || nullif(g.aggcombinefn::regproc::text, '-'),
                                     'initcond ' || quote_literal(g.agginitval),
                                     'sortop ' || nullif(g.aggsortop, 0)::regoperator::text,
                                     CASE g.aggkind WHEN 'o' THEN 'ordered-set' WHEN 'h' THEN 'hypothetical' END)
                    FROM pg_aggregate g WHERE g.aggfnoid = p.oid) AS "aggregate",
                   pg_get_userbyid(p.proowner) AS owner,
                   %s AS acl,
                   obj_description(p.oid, 'pg_proc') AS comment
            FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace
            JOIN pg_language l ON l.oid = p.prolang
            WHERE %s AND %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid
                              AND i.deptype = 'i')
            """.formatted(sortedArray("p.proconfig"), body, aclOrDefault("p.proacl", 'f', "p.proowner"),
                userSchema("n"), notInExtension("pg_proc", "p.oid")));
    }
}
