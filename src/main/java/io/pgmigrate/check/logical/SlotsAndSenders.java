package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.SourceFacts;

import java.util.ArrayList;
import java.util.List;

import static io.pgmigrate.check.logical.ReplicationSettings.SENDERS;
import static io.pgmigrate.check.logical.ReplicationSettings.SLOTS;
import static io.pgmigrate.check.logical.ReplicationSettings.SYNC_WORKERS;

/**
 * Replication slots and WAL senders of the publishing side. Blue publishes first: one slot and one sender per
 * database for its subscription, plus one temporary slot and sender per table synchronisation worker during the
 * initial copy, on top of what other consumers use already. After the switch green publishes back to blue
 * (reverse replication, no initial copy): one slot and sender per database.
 */
final class SlotsAndSenders implements PreCheck {
    static final String ID = "logical-slots-and-senders";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        ReplicationSettings s = new ReplicationSettings(in);
        List<Finding> out = new ArrayList<>();
        List<Shortfall> blue = blue(in, s);
        if (!blue.isEmpty()) {
            out.add(blueFinding(in, blue));
        }
        List<Shortfall> green = green(s);
        if (!green.isEmpty()) {
            out.add(new Finding(ID, Severity.INFO, "Green is created with more replication slots or WAL senders",
                    "After the switch blue subscribes to green so that a rollback loses nothing: green then holds"
                            + " one slot and one WAL sender per database.", Shortfall.objects(green),
                    "nothing to do: the plan writes " + Shortfall.settingsLines(green) + " into green's"
                            + " postgresql.auto.conf (step green.settings)"));
        }
        return out;
    }

    static List<Shortfall> green(ReplicationSettings s) {
        List<Shortfall> green = new ArrayList<>();
        for (String name : List.of(SLOTS, SENDERS)) {
            Shortfall.check(green, "green", name, s.green(name), s.greenSource(name), s.databases(),
                    "one reverse subscription per database");
        }
        return green;
    }

    static List<Shortfall> blue(CheckInput in, ReplicationSettings s) {
        SourceFacts src = in.source();
        int databases = s.databases();
        int perDatabase = 1 + s.green(SYNC_WORKERS);
        int others = src.replicationSlots().size();
        int connected = src.standbys().size() + (int) src.replicationSlots().stream()
                .filter(sl -> sl.active() && "logical".equals(sl.type())).count();
        String why = databases + " database(s) × (1 subscription + " + (perDatabase - 1)
                + " table synchronisation workers)";
        List<Shortfall> out = new ArrayList<>();
        Shortfall.check(out, "blue", SLOTS, s.blue(SLOTS), "running", others + databases * perDatabase,
                others + " existing slot(s) + " + why);
        Shortfall.check(out, "blue", SENDERS, s.blue(SENDERS), "running", connected + databases * perDatabase,
                connected + " connected standby(s) and logical consumer(s) + " + why);
        return out;
    }

    private static Finding blueFinding(CheckInput in, List<Shortfall> blue) {
        String detail = "Each subscription holds a replication slot on blue and a WAL sender connected to it; during"
                + " the initial copy each table synchronisation worker holds a temporary slot and a sender of its"
                + " own. With too few, CREATE SUBSCRIPTION or the table copies fail (\"all replication slots are"
                + " in use\"). Both settings change only at a restart of blue.";
        if (WalLevel.restartNeeded(in)) {
            return Finding.warning(ID, "Blue has too few replication slots or WAL senders",
                    detail + " The plan restarts blue for wal_level anyway: settings made beforehand take effect"
                            + " with that restart.", Shortfall.objects(blue),
                    "nothing to do for the plan, which sets them before its restart of blue (or set them yourself"
                            + " before the planned restart): " + Shortfall.alterSystem(blue));
        }
        return Finding.blocker(ID, "Blue has too few replication slots or WAL senders", detail,
                Shortfall.objects(blue), "on blue: " + Shortfall.alterSystem(blue) + " then restart blue and plan"
                        + " again");
    }
}
