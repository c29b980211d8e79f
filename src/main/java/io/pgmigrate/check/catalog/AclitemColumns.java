package io.pgmigrate.check.catalog;

/** Columns of type aclitem, whose on-disk format changed in 16: source ≤ 15, target ≥ 16. */
final class AclitemColumns extends TypeUsageCheck {
    static final String ID = "aclitem-columns";

    AclitemColumns() {
        super(ID, "User columns of type aclitem",
                "The internal format of aclitem changed in PostgreSQL 16, so stored aclitem values (also"
                        + " inside arrays, domains and composite types) cannot be carried over by pg_upgrade.",
                "text", path -> path.sourceAtMost(1500) && path.targetAtLeast(1600));
    }

    @Override
    String baseTypesQuery() {
        return typesNamed("pg_catalog", "aclitem");
    }
}
