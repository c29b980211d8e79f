package io.pgmigrate.check.catalog;

import io.pgmigrate.check.PreCheck;

import java.util.List;

/** Checks that look into the source's catalogs with SQL probes (what pg_upgrade --check looks for, and more). */
public final class CatalogChecks {
    private CatalogChecks() {
    }

    public static List<PreCheck> all() {
        return List.of();
    }
}
