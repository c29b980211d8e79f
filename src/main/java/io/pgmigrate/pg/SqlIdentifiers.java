package io.pgmigrate.pg;

/** Quoting of SQL identifiers and literals, the way PostgreSQL's quote_ident and quote_literal do. */
public final class SqlIdentifiers {
    private SqlIdentifiers() {
    }

    /** Always quotes: "my table" → "\"my table\"", embedded quotes doubled. */
    public static String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL byte");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** schema.name, each part quoted. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    /** A standard-conforming string literal: 'it''s'. */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("literal contains a NUL byte");
        }
        return '\'' + value.replace("'", "''") + '\'';
    }
}
