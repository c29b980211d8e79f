package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.SourceFacts.SlotFacts;
import io.pgmigrate.inventory.Inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What pg_upgrade does not carry over: replication slots (all before 17, physical ones
 * always), and slots that hold back WAL.
 */
public final class Replication implements PreCheck {
    public static final String ID = "replication";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        SourceFacts s = in.source();
        List<Finding> out = new ArrayList<>();
        if (s.inRecovery()) {
            out.add(Finding.blocker(ID, "The source server is a standby (in recovery)",
                    "pg_upgrade upgrades a primary; its standbys are rebuilt or re-synced from the upgraded primary.",
                    List.of("server at source.pg: pg_is_in_recovery() = true"),
                    "point source.pg and source.dataDir at the primary"));
        }
        boolean pgUpgrade = in.inventory().strategy() == Strategy.PG_UPGRADE;
        // the standbys themselves: standbys-listed, standby-ready and synchronous-standbys
        slots(in, s, out);
        // the logical strategy lists every slot with what it retains itself (logical-existing-slots)
        List<SlotFacts> idle = s.replicationSlots().stream().filter(sl -> pgUpgrade && !sl.active()
                && sl.retainedWalBytes() > 0).toList();
        if (!idle.isEmpty()) {
            out.add(Finding.warning(ID, idle.size() + " inactive replication slot(s) retain WAL",
                    "An inactive slot keeps every WAL segment since its restart_lsn until the disk fills.",
                    idle.stream().map(sl -> "slot " + sl.name() + " (" + sl.type() + ", inactive): retains "
                            + Bytes.human(sl.retainedWalBytes()) + " of WAL").toList(),
                    "if no consumer will come back, drop it: " + idle.stream()
                            .map(sl -> "SELECT pg_drop_replication_slot(" + Sql.literal(sl.name()) + ");")
                            .collect(Collectors.joining(" "))));
        }
        return out;
    }

    private static void slots(CheckInput in, SourceFacts s, List<Finding> out) {
        if (s.replicationSlots().isEmpty() || in.inventory().strategy() != Strategy.PG_UPGRADE) {
            return;
        }
        boolean migratesLogical = PgVersion.scaled(s.version()) >= 1700;
        List<SlotFacts> lost = new ArrayList<>();
        List<SlotFacts> notCarried = new ArrayList<>();
        List<SlotFacts> behind = new ArrayList<>();
        for (SlotFacts sl : s.replicationSlots()) {
            if (!migratesLogical || !"logical".equals(sl.type())) {
                notCarried.add(sl);
            } else if ("lost".equals(sl.walStatus())) {
                lost.add(sl);
            } else if (sl.unconfirmedBytes() > 0) {
                behind.add(sl);
            }
        }
        if (!notCarried.isEmpty()) {
            out.add(Finding.warning(ID, notCarried.size() + " replication slot(s) will not exist in the new cluster",
                    (migratesLogical ? "pg_upgrade carries over logical slots only; physical slots are not."
                            : "pg_upgrade carries over no replication slots from PostgreSQL "
                            + PgVersion.majorLabel(s.version()) + " (logical slots only from 17 on).")
                            + " Their consumers lose their position.",
                    notCarried.stream().map(Replication::describe).toList(),
                    "stop the consumers before the outage; after the upgrade re-create physical slots for rebuilt "
                            + "standbys (pg_create_physical_replication_slot) and let logical consumers (subscriptions, "
                            + "CDC) resynchronise from new slots"));
        }
        if (!lost.isEmpty()) {
            out.add(Finding.blocker(ID, "Invalidated logical slot(s): pg_upgrade refuses them",
                    "pg_upgrade refuses logical slots whose WAL was removed (wal_status lost).",
                    lost.stream().map(Replication::describe).toList(),
                    "drop them: " + lost.stream().map(sl -> "SELECT pg_drop_replication_slot(" + Sql.literal(sl.name())
                            + ");").collect(Collectors.joining(" "))));
        }
        if (!behind.isEmpty()) {
            out.add(Finding.warning(ID, behind.size() + " logical slot(s) not caught up",
                    "pg_upgrade carries logical slots over only when their consumers have confirmed all WAL "
                            + "before the old cluster is shut down; otherwise it refuses.",
                    behind.stream().map(sl -> describe(sl) + ": " + Bytes.human(sl.unconfirmedBytes())
                            + " not yet confirmed").toList(),
                    "let the consumers catch up and stop writes before the outage; the new cluster needs "
                            + "wal_level = logical and max_replication_slots ≥ the number of logical slots"));
        }
    }

    private static String describe(SlotFacts sl) {
        return "slot " + sl.name() + " (" + sl.type() + (sl.plugin() == null ? "" : ", plugin " + sl.plugin())
                + (sl.database() == null ? "" : ", database " + sl.database()) + (sl.active() ? ", active" : ", inactive")
                + ")";
    }
}
