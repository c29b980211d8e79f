package io.pgmigrate.verify;

import io.pgmigrate.pg.SqlIdentifiers;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names as a DBA writes them in a report: an identifier is quoted only when it has to be (upper case,
 * spaces, quotes, non-ASCII, a reserved word), like psql shows them. Done here rather than with the
 * server's quote_ident, whose keyword list changes between versions: the same name must read the same
 * on both sides.
 */
final class SchemaNames {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");
    /** PostgreSQL's reserved key words (also those allowed as function or type names), 15 to 18. */
    private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as",
            "asc", "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
            "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
            "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default",
            "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign",
            "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
            "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
            "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
            "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user",
            "similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to", "trailing", "true",
            "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with");

    private SchemaNames() {
    }

    /** {@code orders}, {@code "Order Items"}, {@code "select"}. */
    static String ident(String name) {
        return PLAIN.matcher(name).matches() && !RESERVED.contains(name) ? name : SqlIdentifiers.quote(name);
    }

    /** {@code public."Order Items"}. */
    static String qualified(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }
}
