package io.pgmigrate.check.catalog;

import io.pgmigrate.check.UpgradePath;

/**
 * Version arithmetic the way pg_upgrade writes thresholds: a major version as a number such as 903
 * (9.3), 1100 (11) or 1500 (15). {@link UpgradePath} carries majors as {@link io.pgmigrate.pg.PgVersion}
 * does: 15 for PostgreSQL 15, 906 for 9.6.
 */
final class Versions {
    private Versions() {
    }

    /** 15 → 1500, 906 → 906. */
    static int num(int major) {
        return major >= 100 ? major : major * 100;
    }

    static boolean sourceAtMost(UpgradePath path, int threshold) {
        return num(path.sourceMajor()) <= threshold;
    }

    static boolean sourceAtLeast(UpgradePath path, int threshold) {
        return num(path.sourceMajor()) >= threshold;
    }

    static boolean targetAtLeast(UpgradePath path, int threshold) {
        return num(path.targetMajor()) >= threshold;
    }

    /** For messages: 1500 → "15", 906 → "9.6". */
    static String display(int major) {
        int n = num(major);
        return n >= 1000 ? String.valueOf(n / 100) : (n / 100) + "." + (n % 100);
    }
}
