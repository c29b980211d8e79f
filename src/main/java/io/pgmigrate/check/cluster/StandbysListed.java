package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.StandbyFacts;
import io.pgmigrate.inventory.Inventory.Standby;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Strategy;

import java.util.ArrayList;
import java.util.List;

/**
 * In place, every standby streaming from the source must be in the inventory (issue #15): one pgmigrate does not
 * know of is left on the old version, unable to follow the new primary, and nobody said so. Listed with
 * {@code rebuild: false}, it is known and left to the DBA, which the plan says.
 */
public final class StandbysListed implements PreCheck {
    public static final String ID = "standbys-listed";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        if (in.inventory().strategy() != Strategy.PG_UPGRADE) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        List<String> unlisted = new ArrayList<>();
        for (SourceFacts.StandbyFacts sender : in.source().standbys()) {
            boolean known = in.facts().standbys().stream().map(StandbyFacts::sender)
                    .anyMatch(m -> m != null && same(m.applicationName(), sender.applicationName())
                            && same(m.clientAddress(), sender.clientAddress()));
            if (!known) {
                unlisted.add("standby " + sender.applicationName() + " from " + sender.clientAddress() + " ("
                        + sender.state() + ", " + sender.syncState() + ")");
            }
        }
        List<String> ambiguous = in.facts().standbys().stream().filter(StandbyFacts::ambiguous)
                .map(s -> s.name() + ": " + s.receiver().applicationName()).toList();
        if (!ambiguous.isEmpty()) {
            out.add(Finding.blocker(ID, "Standby(s) whose WAL sender on the source cannot be told apart",
                    "More than one of the source's WAL senders has the application name and address of these"
                            + " standbys, so pgmigrate cannot tell which one is theirs (their sync state, their lag).",
                    ambiguous, "give each standby an application_name of its own in its primary_conninfo, or a"
                            + " replication slot (primary_slot_name)"));
        }
        if (!unlisted.isEmpty()) {
            out.add(Finding.blocker(ID, unlisted.size() + " standby(s) stream from the source but are not in the"
                            + " inventory",
                    "After the upgrade a standby still on PostgreSQL " + in.source().version().major() + " cannot"
                            + " follow the new primary: it would be left behind, no longer a standby, and a"
                            + " synchronous one would hold commits. pgmigrate upgrades the standbys it is told of.",
                    unlisted, "list each under standbys: (host, dataDir, target.dataDir; see docs/inventory.md), with"
                            + " rebuild: false for one you will rebuild yourself after the window"));
        }
        List<String> left = in.inventory().standbys().stream().filter(s -> !s.rebuild()).map(Standby::name).toList();
        if (!left.isEmpty()) {
            out.add(Finding.warning(ID, left.size() + " standby(s) are left to you (rebuild: false)",
                    "pgmigrate neither stops nor upgrades them: from the outage on they no longer follow the primary"
                            + " (the new cluster has another system identifier), and the cluster has fewer standbys"
                            + " until you rebuild them.",
                    left, "rebuild each after the window: pg_basebackup -R from the upgraded primary with the PostgreSQL "
                            + in.inventory().target().version() + " binaries"));
        }
        return out;
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
