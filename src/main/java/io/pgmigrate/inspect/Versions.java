package io.pgmigrate.inspect;

import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.pg.PgVersion;

/** {@code PROGRAM --version} of PostgreSQL programs named by the inventory. */
final class Versions {
    private Versions() {
    }

    static PgVersion ofProgram(HostCommands host, String inventoryKey, String binDir, String program) {
        String out = host.pgProgram(inventoryKey, binDir, program, "--version").strip();
        try {
            return PgVersion.parse(out);
        } catch (IllegalArgumentException e) {
            throw PgMigrateException.badInput(inventoryKey + " " + binDir + " on " + host.host() + ": '" + program
                    + " --version' printed '" + out + "', not a PostgreSQL version: set " + inventoryKey
                    + " to the bin directory of a PostgreSQL installation");
        }
    }
}
