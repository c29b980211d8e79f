package io.pgmigrate.check;

import io.pgmigrate.inventory.Inventory.UpgradeMode;

/** Source major → target major, and pg_upgrade's transfer mode: what decides which checks apply. */
public record UpgradePath(int sourceMajor, int targetMajor, UpgradeMode mode) {
}
