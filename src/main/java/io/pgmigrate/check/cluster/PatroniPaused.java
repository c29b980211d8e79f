package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.plan.Finding;

import java.util.List;

/**
 * Patroni already paused (maintenance mode) when planning: somebody may be working on the cluster, and automatic
 * failover is off. pgmigrate pauses Patroni itself for the window; it must turn the pause off for Patroni to take up
 * the new cluster (a paused Patroni does not start a data directory with another system identifier), and pauses it
 * again once the cluster is healthy on the new version: it leaves the pause as it found it.
 */
public final class PatroniPaused implements PreCheck {
    public static final String ID = "patroni-paused";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        PatroniFacts p = PatroniInput.of(in);
        if (p == null || !p.paused()) {
            return List.of();
        }
        return List.of(Finding.warning(ID, "Patroni is paused (maintenance mode) now",
                "Automatic failover is off and somebody may be working on the cluster. The upgrade pauses Patroni"
                        + " itself for the window; to start PostgreSQL " + in.path().targetMajor() + " under Patroni it"
                        + " must turn the pause off (a paused Patroni does not take up the new system identifier),"
                        + " and it pauses the cluster again once it is healthy on the new version, as it found it:"
                        + " failover stays off afterwards until you resume.",
                List.of("Patroni scope " + p.scope()),
                "find out why it is paused; if nobody needs the pause, resume before the upgrade ("
                        + PatroniInput.patronictl(in) + " resume --wait) and plan again"));
    }
}
