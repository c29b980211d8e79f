package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.core.Bytes;
import io.pgmigrate.facts.GreenStandbyFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * Green's own standbys (blue/green, issue #15), as their hosts were read: the new version's binaries there, an absent
 * or empty data directory, room for a copy of the data; and, once for all, what the plan does with them and what green's
 * pg_hba.conf (blue's, copied) must allow.
 */
final class GreenStandbys implements PreCheck {
    static final String ID = "logical-green-standbys";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<Inventory.GreenStandby> listed = in.inventory().target().standbys();
        if (listed.isEmpty()) {
            return List.of();
        }
        int target = in.path().targetMajor();
        long size = in.source().totalSizeBytes();
        List<Finding> out = new ArrayList<>();
        String green = io.pgmigrate.inventory.PeerAddresses.green(in.inventory());
        boolean loopback = green.equals("127.0.0.1") || green.equals("localhost") || green.equals("::1")
                || green.startsWith("/");
        for (Inventory.GreenStandby s : listed) {
            if (loopback && !s.host().isLocal()) {
                out.add(Finding.blocker(ID, "Green's standby " + s.name() + " cannot reach green at " + green,
                        "It streams from green over the network, and green's address as the inventory gives it is"
                                + " only valid on green's own host.",
                        List.of("target.standbys: " + s.name() + " on " + s.host().address()),
                        "give source.host (or target.host) as a name the standby's host resolves, with tunnel: true,"
                                + " or source.pg.host as an address other hosts reach"));
            }
        }
        for (Inventory.GreenStandby s : listed) {
            GreenStandbyFacts f = in.facts().greenStandbys().stream().filter(g -> g.name().equals(s.name()))
                    .findFirst().orElse(null);
            if (f == null) {
                continue;
            }
            String who = "green's standby " + s.name() + " (" + s.host().address() + ")";
            if (f.binariesVersion().major() != target || f.basebackup().major() != target) {
                out.add(Finding.blocker(ID, "Green's standby " + s.name() + " has other binaries than PostgreSQL "
                                + target, "A standby runs the same major version as its primary.",
                        List.of(who + ": " + s.binDir() + " has postgres " + f.binariesVersion() + ", pg_basebackup "
                                + f.basebackup()),
                        "install PostgreSQL " + target + " there, or point target.standbys binDir at it"));
            }
            if (f.dataDir().exists() && !f.dataDir().empty()) {
                out.add(Finding.blocker(ID, "Green's standby " + s.name() + "'s data directory is not empty",
                        "pg_basebackup copies green into an absent or empty directory; pgmigrate removes nothing it did"
                                + " not make.",
                        List.of(who + ": " + s.dataDir()), "empty or remove it, or choose another dataDir"));
            }
            if (f.dataDir().freeBytes() < size) {
                out.add(Finding.blocker(ID, "Not enough disk for green's standby " + s.name(),
                        "It receives a copy of everything green holds, about as much as blue holds now ("
                                + Bytes.human(size) + ").",
                        List.of(who + ": " + Bytes.human(f.dataDir().freeBytes()) + " free under "
                                + f.dataDir().statPath()), "free space there, or choose another dataDir"));
            }
        }
        List<String> names = listed.stream().map(s -> s.name() + " (" + s.host().address() + ", as "
                + s.replicationUser() + ")").toList();
        out.add(Finding.warning(ID, "Green's pg_hba.conf must let its standbys replicate",
                "Each standby is copied from green with pg_basebackup as soon as green runs and then streams from it,"
                        + " over a physical slot, so that green is highly available before the cutover. Green's"
                        + " pg_hba.conf is blue's, copied: it must allow replication connections from their hosts as"
                        + " their replication user, whose password comes from ~/.pgpass on each standby's host.",
                names, "check blue's pg_hba.conf for a 'host replication' line that covers them (or add one) before"
                        + " the execution"));
        return out;
    }
}
