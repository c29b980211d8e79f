package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.plan.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * An HA manager on the source's host fights an upgrade it was not told of (issue #15): Patroni starts again the
 * server pgmigrate stops and refuses the new system identifier; repmgrd and pg_auto_failover promote a standby when
 * the primary goes away. pgmigrate drives Patroni when the inventory describes it ({@code ha.patroni}); the others
 * it does not drive at all.
 */
public final class HaManagers implements PreCheck {
    public static final String ID = "ha-manager";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<Finding> out = new ArrayList<>();
        List<String> seen = in.source().haManagers();
        boolean described = in.inventory().ha() != null && in.inventory().ha().patroni() != null;
        if (seen.contains("patroni") && !described) {
            out.add(Finding.blocker(ID, "Patroni manages the source, and the inventory does not say so",
                    "Patroni would start again the server pgmigrate stops for the upgrade (or fail over to a standby),"
                            + " and it refuses the upgraded cluster's new system identifier.",
                    List.of("the server's postgresql.conf on " + in.inventory().source().host().address()
                            + " is Patroni's (\"It will be overwritten by Patroni!\")"),
                    "describe it under ha.patroni (its configuration file and REST endpoints, see docs/inventory.md)"));
        }
        for (String manager : seen) {
            if (!manager.equals("patroni")) {
                out.add(Finding.warning(ID, manager + " runs on the source's host" + (manager.equals("pg_autoctl")
                        ? " and supervises the server" : ""),
                        "It may promote a standby while the primary is down for the upgrade. pgmigrate does not drive"
                                + " it: unless it is paused on every node for the window, a failover in the middle"
                                + " of the upgrade leaves two primaries.",
                        List.of("process " + manager + " on " + in.inventory().source().host().address()),
                        manager.equals("repmgrd") ? "pause it on every node before execute (repmgr service pause) and"
                                + " resume it once the standbys stream again (repmgr service unpause)"
                                : "put the formation in maintenance before execute (pg_autoctl enable maintenance)"
                                + " and take it out afterwards"));
            }
        }
        return out;
    }
}
