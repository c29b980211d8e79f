package io.pgmigrate.check.catalog;

/**
 * Columns of reg* types that store OIDs pg_upgrade does not preserve: all versions. regclass, regrole
 * and regtype are fine (pg_class, pg_authid and pg_type OIDs are preserved).
 */
final class RegTypeColumns extends TypeUsageCheck {
    static final String ID = "reg-type-columns";

    RegTypeColumns() {
        super(ID, "User columns of reg* types whose OIDs pg_upgrade does not preserve",
                "regcollation, regconfig, regdictionary, regnamespace, regoper, regoperator, regproc and"
                        + " regprocedure values are OIDs of catalog rows that get new OIDs in the new cluster,"
                        + " so the stored values would point at the wrong objects.",
                "text", path -> true);
    }

    @Override
    String baseTypesQuery() {
        return typesNamed("pg_catalog", "regcollation", "regconfig", "regdictionary", "regnamespace", "regoper",
                "regoperator", "regproc", "regprocedure");
    }
}
