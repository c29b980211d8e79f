package io.pgmigrate.check.catalog;

/** Columns of type unknown, no longer allowed in tables since 10: source ≤ 9.6. */
final class UnknownColumns extends TypeUsageCheck {
    static final String ID = "unknown-columns";

    UnknownColumns() {
        super(ID, "User columns of type unknown",
                "Tables may no longer have columns of type unknown (PostgreSQL 10), so the schema restore"
                        + " would fail, and a materialized view would silently get text over unknown's storage.",
                "text", path -> path.sourceAtMost(906));
    }

    @Override
    String baseTypesQuery() {
        return typesNamed("pg_catalog", "unknown");
    }
}
