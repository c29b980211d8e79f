package io.pgmigrate.check.catalog;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Object names as a DBA reads them in findings: an identifier is quoted only when PostgreSQL's
 * {@code quote_ident} would quote it (not all lower-case letters, digits, underscores; or a keyword
 * that is not unreserved). Fix SQL uses {@link io.pgmigrate.pg.SqlIdentifiers}, which always quotes.
 */
public final class Names {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    /** PostgreSQL 18's keywords that are not UNRESERVED_KEYWORD (reserved, col_name, type_func_name). */
    private static final Set<String> KEYWORDS = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
            "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check",
            "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
            "current_catalog", "current_date", "current_role", "current_schema", "current_time",
            "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct",
            "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for", "foreign",
            "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in",
            "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is", "isnull",
            "join", "json", "json_array", "json_arrayagg", "json_exists", "json_object", "json_objectagg",
            "json_query", "json_scalar", "json_serialize", "json_table", "json_value", "lateral", "leading",
            "least", "left", "like", "limit", "localtime", "localtimestamp", "merge_action", "national",
            "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric", "offset",
            "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position",
            "precision", "primary", "real", "references", "returning", "right", "row", "select", "session_user",
            "setof", "similar", "smallint", "some", "substring", "symmetric", "system_user", "table",
            "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union",
            "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where", "window",
            "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces",
            "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable");

    private Names() {
    }

    /**
     * quote_ident: {@code orders} stays, {@code Orders} → {@code "Orders"}, {@code user} → {@code "user"}; a name with a
     * control character (a newline) as {@code U&"…"}, so that it cannot start a line of its own in a finding's fix.
     */
    public static String ident(String name) {
        if (PLAIN.matcher(name).matches() && !KEYWORDS.contains(name)) {
            return name;
        }
        return io.pgmigrate.pg.SqlIdentifiers.quote(name);
    }

    /** schema.name, each part as quote_ident writes it. */
    public static String qualified(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }

    /** The prefix every per-database object carries: {@code db shop: }. */
    public static String inDb(String database) {
        return "db " + ident(database) + ": ";
    }
}
