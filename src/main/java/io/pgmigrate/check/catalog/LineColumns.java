package io.pgmigrate.check.catalog;

/** Columns of type line, whose format changed in 9.4: source ≤ 9.3. */
final class LineColumns extends TypeUsageCheck {
    static final String ID = "line-columns";

    LineColumns() {
        super(ID, "User columns of type line",
                "The line type got a new internal and input/output format in PostgreSQL 9.4.",
                null, path -> path.sourceAtMost(903));
    }

    @Override
    String baseTypesQuery() {
        return typesNamed("pg_catalog", "line");
    }
}
