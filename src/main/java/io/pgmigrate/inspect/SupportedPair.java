package io.pgmigrate.inspect;

import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.facts.TargetFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.pg.PgVersion;

/**
 * The upgrades pgmigrate makes: from a source of PostgreSQL {@value #OLDEST_SOURCE} or later to a newer major version,
 * with target binaries of the version {@code target.version} names. Anything else is bad input (exit 2), refused
 * during inspection in one line that names the inventory key and the versions: a plan for it could never be made
 * ready, and every later fact (extensions, libraries, the checks' version gates) would be read for the wrong pair.
 */
public final class SupportedPair {
    /** The oldest source major pgmigrate upgrades from (the oldest its tests run). */
    public static final int OLDEST_SOURCE = 13;

    private SupportedPair() {
    }

    /** The source server's version, as soon as it is known. */
    static void requireSource(Inventory inv, PgVersion server) {
        if (PgVersion.scaled(server) < PgVersion.scaled(OLDEST_SOURCE)) {
            throw PgMigrateException.badInput(prefix(inv) + "source.pg: the server at " + endpoint(inv)
                    + " runs PostgreSQL " + server + ", older than " + OLDEST_SOURCE + ", the oldest source pgmigrate"
                    + " upgrades from; upgrade it to " + OLDEST_SOURCE + " or later first (with that version's"
                    + " pg_upgrade), or move it with pg_dump and pg_restore");
        }
    }

    /** The target binaries' versions against {@code target.version}, then {@code target.version} against the source. */
    static void requireTarget(Inventory inv, PgVersion server, TargetFacts target) {
        int wanted = inv.target().version();
        wrongBinary(inv, "postgres", target.binariesVersion(), wanted);
        wrongBinary(inv, "pg_upgrade", target.pgUpgradeVersion(), wanted);
        wrongBinary(inv, "initdb", target.initdbVersion(), wanted);
        int source = PgVersion.scaled(server);
        if (PgVersion.scaled(wanted) <= source) {
            String relation = PgVersion.scaled(wanted) == source ? "is the source's major version"
                    : "is older than the source";
            throw PgMigrateException.badInput(prefix(inv) + "target.version: " + wanted + " " + relation
                    + " (the server at " + endpoint(inv) + " runs PostgreSQL " + server + "); pgmigrate only upgrades"
                    + " to a newer major version: set target.version to one newer than "
                    + PgVersion.majorLabel(server) + " and target.binDir to its binaries");
        }
    }

    private static void wrongBinary(Inventory inv, String program, PgVersion found, int wanted) {
        if (found != null && found.major() != wanted) {
            throw PgMigrateException.badInput(prefix(inv) + "target.binDir: " + inv.target().binDir()
                    + " holds PostgreSQL " + PgVersion.majorLabel(found) + " binaries (" + program
                    + " --version says " + found + "), but target.version is " + wanted + "; point target.binDir at"
                    + " the PostgreSQL " + wanted + " bin directory or correct target.version");
        }
    }

    private static String prefix(Inventory inv) {
        return inv.file() == null ? "" : inv.file() + ": ";
    }

    private static String endpoint(Inventory inv) {
        return inv.source().pg().host() + ":" + inv.source().pg().port();
    }
}
