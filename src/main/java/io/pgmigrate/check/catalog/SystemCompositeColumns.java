package io.pgmigrate.check.catalog;

/** Columns of a system-defined composite type (a catalog's or information_schema's row type): all versions. */
final class SystemCompositeColumns extends TypeUsageCheck {
    static final String ID = "system-composite-columns";

    SystemCompositeColumns() {
        super(ID, "User columns of system-defined composite types",
                "Row types of system catalogs and of information_schema get new OIDs in every major version,"
                        + " so stored values of them (also inside arrays, domains, ranges and composite types)"
                        + " cannot be carried over by pg_upgrade.",
                "text", path -> true);
    }

    @Override
    String baseTypesQuery() {
        // 16384 = FirstNormalObjectId of every source version we read; information_schema may have been reloaded
        return "SELECT t.oid FROM pg_catalog.pg_type t"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                + " WHERE t.typtype = 'c' AND (t.oid < 16384 OR n.nspname = 'information_schema')";
    }
}
