package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.planner.DatabaseToken;

/**
 * The names blue/green gives what it creates for one database: {@code pgmigrate_<db>} for the publication on blue,
 * the subscription on green and its slot; {@code pgmigrate_rev_<db>} for reverse replication. Slot names may hold only
 * lower-case letters, digits and underscores (63 bytes at most), so {@code <db>} is the database's
 * {@link DatabaseToken}: {@code my "db"} becomes {@code pgmigrate_my__db__1a2b3c4d}. The same name serves for all
 * three, so a DBA finds each from the other.
 */
record LogicalNames(String database, String token) {
    static LogicalNames of(String database) {
        return new LogicalNames(database, DatabaseToken.of(database));
    }
    /** Publication on blue, subscription on green, and its slot on blue. */
    String forward() {
        return "pgmigrate_" + token;
    }

    /** Reverse replication: publication on green, subscription on blue, and its slot on green. */
    String reverse() {
        return "pgmigrate_rev_" + token;
    }

    /** The schema dump's file name in the work directory. */
    String schemaFile() {
        return "schema-" + token + ".dump";
    }
}
