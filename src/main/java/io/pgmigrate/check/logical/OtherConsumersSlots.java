package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.catalog.Names;
import io.pgmigrate.core.Bytes;
import io.pgmigrate.facts.SourceFacts.SlotFacts;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Replication slots that already exist on blue belong to other consumers (standbys, CDC, other subscriptions).
 * They keep consuming blue, not green: after the switch they must be moved. An inactive one retains WAL, which
 * adds to what the migration's own slots retain during the catch-up.
 */
final class OtherConsumersSlots implements PreCheck {
    static final String ID = "logical-existing-slots";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        List<SlotFacts> slots = in.source().replicationSlots();
        if (slots.isEmpty()) {
            return List.of();
        }
        List<String> objects = slots.stream().map(OtherConsumersSlots::describe).toList();
        List<SlotFacts> inactive = slots.stream().filter(s -> !s.active()).toList();
        String detail = "These slots are not the migration's: their consumers read blue and stay on blue after the"
                + " switch (a physical standby of blue cannot follow green; a logical consumer must be re-pointed"
                + " at green with a new slot there). They also count against blue's max_replication_slots.";
        String fix = "before the switch, plan where each consumer goes: rebuild standbys from green, re-create"
                + " logical consumers' slots on green";
        if (inactive.isEmpty()) {
            return List.of(Finding.info(ID, slots.size() + " replication slot(s) of other consumers on blue",
                    detail + " " + String.join("; ", objects)));
        }
        return List.of(Finding.warning(ID, slots.size() + " replication slot(s) of other consumers on blue, "
                        + inactive.size() + " inactive",
                detail + " An inactive slot retains WAL on blue's disk, on top of what the migration's own slots"
                        + " retain while green catches up.", objects,
                fix + "; drop inactive slots whose consumer will not come back: " + inactive.stream()
                        .map(s -> "SELECT pg_catalog.pg_drop_replication_slot(" + SqlIdentifiers.literal(s.name())
                                + ");").collect(Collectors.joining(" "))));
    }

    private static String describe(SlotFacts s) {
        return "slot " + Names.ident(s.name()) + " (" + s.type()
                + (s.database() == null ? "" : ", database " + Names.ident(s.database()))
                + (s.active() ? ", active" : ", inactive")
                + (s.retainedWalBytes() < 0 ? "" : ", retains " + Bytes.human(s.retainedWalBytes()) + " of WAL") + ")";
    }
}
