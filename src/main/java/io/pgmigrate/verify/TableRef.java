package io.pgmigrate.verify;

import io.pgmigrate.pg.SqlIdentifiers;

/**
 * A table in one database, as the verification names it: database, schema and name, unquoted. Sorts
 * by database, schema, name; {@link #sql()} is the quoted form for statements.
 */
public record TableRef(String database, String schema, String name) implements Comparable<TableRef> {
    /** {@code "schema"."name"}, quoted for SQL. */
    public String sql() {
        return SqlIdentifiers.qualified(schema, name);
    }

    /** How a report names it: {@code db shop: public.orders}. */
    @Override
    public String toString() {
        return "db " + database + ": " + schema + "." + name;
    }

    @Override
    public int compareTo(TableRef o) {
        int c = database.compareTo(o.database);
        if (c == 0) {
            c = schema.compareTo(o.schema);
        }
        return c != 0 ? c : name.compareTo(o.name);
    }
}
