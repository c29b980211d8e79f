package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.inventory.Inventory.UpgradeMode;

import java.util.List;

/** pg_upgrade --swap exists from PostgreSQL 18 and refuses sources older than 10. */
public final class SwapMode implements PreCheck {
    public static final String ID = "swap-mode";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.mode() == UpgradeMode.SWAP;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        if (in.inventory().strategy() != io.pgmigrate.plan.Strategy.PG_UPGRADE) {
            return List.of();
        }
        int target = in.path().targetMajor();
        String source = PgVersion.majorLabel(in.source().version());
        if (PgVersion.scaled(target) < 1800) {
            return List.of(Finding.blocker(ID, "options.mode swap needs a PostgreSQL 18 or newer target",
                    "pg_upgrade --swap first appeared in PostgreSQL 18; target.version is " + target + ".",
                    List.of("options.mode: swap", "target.version: " + target), "set options.mode: link"));
        }
        if (PgVersion.scaled(in.source().version()) < 1000) {
            return List.of(Finding.blocker(ID, "options.mode swap cannot upgrade from PostgreSQL " + source,
                    "pg_upgrade --swap refuses old clusters older than PostgreSQL 10.",
                    List.of("options.mode: swap", "source: PostgreSQL " + in.source().version()),
                    "set options.mode: link"));
        }
        return List.of();
    }
}
