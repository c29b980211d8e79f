package io.pgmigrate.planner;

import io.pgmigrate.inventory.Inventory.UpgradeMode;

import java.util.ArrayList;
import java.util.List;

/** The pg_upgrade documentation's "Reverting to old cluster", for the mode of this plan. */
final class RollbackRules {
    private RollbackRules() {
    }

    static List<String> forMode(UpgradeMode mode, boolean pgbouncer) {
        List<String> rules = new ArrayList<>();
        rules.add("Until the old cluster is stopped: nothing has changed; abandoning the plan leaves it serving.");
        switch (mode) {
            case SWAP -> {
                rules.add("--swap: until pg_upgrade starts swapping, stopping here and starting the old cluster again"
                        + " restores service with its data intact.");
                rules.add("--swap: once pg_upgrade has begun swapping, the old data directory is reused by the new"
                        + " cluster; the way back is a backup or a standby (POINT OF NO RETURN at pg_upgrade).");
            }
            case LINK -> {
                rules.add("--link: if the new cluster was never started, the old one is usable again after"
                        + " renaming global/pg_control.old back to global/pg_control (pgmigrate does this on rollback).");
                rules.add("--link: once the new cluster has started, the old one shares its files and must not be"
                        + " started again; the way back is a backup or a standby (POINT OF NO RETURN at the start).");
            }
            case CLONE, COPY -> {
                rules.add("--" + mode.key() + ": the old cluster's files are untouched; it can be started again at any"
                        + " time until cleanup.");
                rules.add("--" + mode.key() + ": writes accepted by the new cluster would be lost by going back, so"
                        + " the point of no return is where clients reach the new cluster ("
                        + (pgbouncer ? "RESUME in pgbouncer" : "its start on the old port") + ").");
            }
            default -> throw new IllegalStateException("unknown mode " + mode);
        }
        rules.add("pgbouncer (when configured) is resumed on any failure, so clients never stay paused.");
        return List.copyOf(rules);
    }
}
