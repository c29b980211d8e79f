package io.pgmigrate.check.catalog;

/** Columns of information_schema.sql_identifier, whose storage changed in 12: source ≤ 11. */
final class SqlIdentifierColumns extends TypeUsageCheck {
    static final String ID = "sql-identifier-columns";

    SqlIdentifierColumns() {
        super(ID, "User columns of type information_schema.sql_identifier",
                "sql_identifier is based on name instead of varchar since PostgreSQL 12, which changes its"
                        + " on-disk format.",
                "text", path -> path.sourceAtMost(1100));
    }

    @Override
    String baseTypesQuery() {
        return typesNamed("information_schema", "sql_identifier");
    }
}
