package io.pgmigrate.check.catalog;

/** Columns of abstime, reltime or tinterval, removed in 12: source ≤ 11. */
final class RemovedTimeTypeColumns extends TypeUsageCheck {
    static final String ID = "abstime-reltime-tinterval-columns";

    RemovedTimeTypeColumns() {
        super(ID, "User columns of the removed types abstime, reltime or tinterval",
                "PostgreSQL 12 removed the abstime, reltime and tinterval types (use timestamptz, interval"
                        + " or a pair of timestamptz instead).",
                "text", path -> path.sourceAtMost(1100));
    }

    @Override
    String baseTypesQuery() {
        return typesNamed("pg_catalog", "abstime", "reltime", "tinterval");
    }
}
