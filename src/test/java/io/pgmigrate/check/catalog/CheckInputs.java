package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;

/** CheckInput for unit tests: the sample inventory, the given facts, a path. */
final class CheckInputs {
    private CheckInputs() {
    }

    static UpgradePath path(int source, int target) {
        return new UpgradePath(source, target, UpgradeMode.SWAP);
    }

    static CheckInput input(Facts facts, int source, int target) {
        return new CheckInput(Inventories.sample(), facts.build(), path(source, target));
    }

    /** 15 → 18, the path the product is built for first. */
    static CheckInput input(Facts facts) {
        return input(facts, 15, 18);
    }
}
