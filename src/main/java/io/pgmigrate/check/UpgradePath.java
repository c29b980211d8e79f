package io.pgmigrate.check;

import io.pgmigrate.inventory.Inventory.UpgradeMode;

import io.pgmigrate.pg.PgVersion;

/**
 * Source major → target major, and pg_upgrade's transfer mode: what decides which checks apply.
 * Majors are written as PostgreSQL names them from 10 on (15, 18); 9.x sources as 906, 905, ….
 * Compare with {@link #sourceAtMost}/{@link #sourceAtLeast}, which handle both numberings.
 */
public record UpgradePath(int sourceMajor, int targetMajor, UpgradeMode mode) {
    /** Source major ≤ the given one (e.g. 15, or 903 for 9.3). */
    public boolean sourceAtMost(int major) {
        return PgVersion.scaled(sourceMajor) <= PgVersion.scaled(major);
    }

    public boolean sourceAtLeast(int major) {
        return PgVersion.scaled(sourceMajor) >= PgVersion.scaled(major);
    }

    public boolean targetAtLeast(int major) {
        return PgVersion.scaled(targetMajor) >= PgVersion.scaled(major);
    }
}
