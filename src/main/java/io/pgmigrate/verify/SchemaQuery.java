package io.pgmigrate.verify;

/**
 * One catalog query that lists every object of a kind in the connected database. Result columns whose
 * label starts with {@code _} name the object ({@code _schema}, {@code _table}, {@code _name},
 * {@code _args}, {@code _role}, {@code _objtype}, {@code _on}; {@code _kind} overrides the kind for the
 * row); every other column is an attribute of it.
 */
record SchemaQuery(SchemaKind kind, String sql) {
}
