package io.pgmigrate.check.catalog;

import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.check.CheckInput;
import io.pgmigrate.pg.ControlData;

/**
 * Columns of type jsonb written by a 9.4 beta (catalog version before 201409291), whose format changed
 * before 9.4.0.
 */
final class JsonbBetaColumns extends TypeUsageCheck {
    static final String ID = "jsonb-beta-columns";
    static final long FORMAT_CHANGE_CATALOG_VERSION = 201409291L;

    JsonbBetaColumns() {
        super(ID, "User columns of type jsonb from a 9.4 beta",
                "The internal format of jsonb changed during the 9.4 beta; a cluster initialised by an earlier"
                        + " beta stores the old format. Dump and restore these tables instead.",
                null, path -> PgVersion.scaled(path.sourceMajor()) == 904);
    }

    @Override
    boolean relevant(CheckInput input) {
        // an unreadable catalog version counts as "maybe a beta": better a question than a broken upgrade
        String catalog = input.source().controlData().get(ControlData.CATALOG_VERSION).orElse("");
        try {
            return Long.parseLong(catalog.trim()) < FORMAT_CHANGE_CATALOG_VERSION;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    @Override
    String baseTypesQuery() {
        return typesNamed("pg_catalog", "jsonb");
    }
}
