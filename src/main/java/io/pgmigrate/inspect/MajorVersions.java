package io.pgmigrate.inspect;

import io.pgmigrate.pg.PgVersion;

/**
 * Comparable major versions. {@link PgVersion#major()} is 15 or 18 from PostgreSQL 10 on but 906 for 9.6,
 * so majors are compared as pg_upgrade's {@code GET_MAJOR_VERSION} does: 9.6 → 906, 15 → 1500.
 */
public final class MajorVersions {
    private MajorVersions() {
    }

    /** 9.6 → 906, 15 → 1500. */
    public static int ordinal(int major) {
        return major >= 100 ? major : major * 100;
    }

    public static int ordinal(PgVersion v) {
        return ordinal(v.major());
    }

    /** How PostgreSQL names the major version (and writes PG_VERSION): "9.6", "15". */
    public static String label(int major) {
        return major >= 100 ? (major / 100) + "." + (major % 100) : Integer.toString(major);
    }

    public static String label(PgVersion v) {
        return label(v.major());
    }

    /** Whether v's major is at least the major written as PostgreSQL does ("9.2" or "17"). */
    public static boolean atLeast(PgVersion v, int majorOrdinal) {
        return ordinal(v) >= majorOrdinal;
    }
}
