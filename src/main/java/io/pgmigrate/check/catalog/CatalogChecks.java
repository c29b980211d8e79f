package io.pgmigrate.check.catalog;

import io.pgmigrate.check.PreCheck;

import java.util.List;

/** Checks that look into the source's catalogs with SQL probes (what pg_upgrade --check looks for, and more). */
public final class CatalogChecks {
    private CatalogChecks() {
    }

    public static List<PreCheck> all() {
        return List.of(
                // databases pg_upgrade cannot visit come first: everything else assumes it can
                new ConnectionSettings(),
                // stored data pg_upgrade cannot carry (pg_upgrade's data type usage checks)
                new SystemCompositeColumns(),
                new RegTypeColumns(),
                new AclitemColumns(),
                new LineColumns(),
                new UnknownColumns(),
                new SqlIdentifierColumns(),
                new RemovedTimeTypeColumns(),
                new JsonbBetaColumns(),
                // definitions the new version cannot restore
                new IsnBigintPassing(),
                new NotNullInheritance(),
                new UserDefinedEncodingConversions(),
                new PostfixOperators(),
                new IncompatiblePolymorphics(),
                new TablesWithOids(),
                new PgRolePrefix(),
                new DistinctOperatorsOutsideCatalog(),
                // what the target build must offer
                new LoadableLibraries(),
                new IcuCollationsWithoutIcu(),
                new Lz4CompressedColumns(),
                // carried, but with consequences
                new UnicodeUpdate(),
                new CollationVersions(),
                new Subscriptions(),
                new UnloggedTables());
    }
}
