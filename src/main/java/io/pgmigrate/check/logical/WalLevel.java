package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;

import java.util.List;

/**
 * Logical decoding needs {@code wal_level = logical} on blue; changing it takes a restart. Not a blocker: the
 * plan contains that restart (a short outage of its own, well before the cutover).
 */
final class WalLevel implements PreCheck {
    static final String ID = "logical-wal-level";

    @Override
    public String id() {
        return ID;
    }

    /** Whether blue must be restarted before replication can start. */
    static boolean restartNeeded(CheckInput in) {
        return !"logical".equals(in.source().settings().get("wal_level"));
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        if (!restartNeeded(in)) {
            return List.of();
        }
        String level = in.source().settings().getOrDefault("wal_level", "unknown");
        return List.of(Finding.warning(ID, "wal_level is " + level + ": blue must be restarted with wal_level = logical",
                "Publications and replication slots need wal_level = logical, and the setting only changes at a"
                        + " server restart. The plan contains that restart of blue (clients are disconnected for"
                        + " the seconds it takes), before any publication or slot is created; from then on blue"
                        + " also writes somewhat more WAL (old key values and catalog information).",
                List.of("blue: wal_level = " + level),
                "nothing to do for the plan, which sets wal_level = logical and restarts blue; schedule that"
                        + " restart, or set it yourself beforehand at a moment of your choosing:"
                        + " ALTER SYSTEM SET wal_level = logical; then restart blue"));
    }
}
