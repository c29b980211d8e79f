package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.plan.Severity;

import java.util.ArrayList;
import java.util.List;

import static io.pgmigrate.check.logical.ReplicationSettings.PROCESSES;
import static io.pgmigrate.check.logical.ReplicationSettings.SYNC_WORKERS;
import static io.pgmigrate.check.logical.ReplicationSettings.WORKERS;

/**
 * Worker processes of the subscribing side. Green subscribes first: one apply worker per database, plus the table
 * synchronisation workers of the initial copy ({@code max_sync_workers_per_subscription} each), all taken from
 * {@code max_logical_replication_workers}, itself taken from {@code max_worker_processes} (plus one for the
 * launcher); each subscription also needs a replication origin. After the switch blue subscribes to green
 * (reverse replication, no initial copy): one apply worker and one origin per database.
 */
final class ApplyWorkers implements PreCheck {
    static final String ID = "logical-apply-workers";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        ReplicationSettings s = new ReplicationSettings(in);
        List<Finding> out = new ArrayList<>();
        List<Shortfall> green = green(in, s);
        if (!green.isEmpty()) {
            out.add(new Finding(ID, Severity.INFO, "Green is created with more logical replication workers",
                    "Below these values the initial copy would run with less parallelism, and with fewer than one"
                            + " apply worker per database some subscriptions would not start until another ended.",
                    Shortfall.objects(green), "nothing to do: the plan writes " + Shortfall.settingsLines(green)
                            + " into green's postgresql.auto.conf (step green.settings)"));
        }
        List<Shortfall> blue = blue(in, s);
        if (!blue.isEmpty()) {
            out.add(Finding.warning(ID, "Blue has too few workers for reverse replication",
                    "After the switch blue subscribes to green so that a rollback loses nothing; without enough"
                            + " workers some databases are not kept current and a rollback would lose their"
                            + " writes. These settings change only at a restart of blue.",
                    Shortfall.objects(blue), "when the plan restarts blue for wal_level it sets them before that"
                            + " restart; otherwise on blue, at a restart of your own: " + Shortfall.alterSystem(blue)));
        }
        return out;
    }

    static List<Shortfall> green(CheckInput in, ReplicationSettings s) {
        int databases = s.databases();
        int sync = s.green(SYNC_WORKERS);
        int workers = databases * (1 + sync);
        String origins = ReplicationSettings.originsSetting(in.path().targetMajor());
        List<Shortfall> out = new ArrayList<>();
        Shortfall.check(out, "green", WORKERS, s.green(WORKERS), s.greenSource(WORKERS), workers,
                databases + " apply worker(s) + " + databases + " × " + sync + " table synchronisation workers");
        Shortfall.check(out, "green", PROCESSES, s.green(PROCESSES), s.greenSource(PROCESSES),
                Math.max(s.green(WORKERS), workers) + 1, "the logical replication workers + their launcher");
        Shortfall.check(out, "green", origins, s.green(origins), s.greenSource(origins), databases,
                "one replication origin per subscription");
        return out;
    }

    static List<Shortfall> blue(CheckInput in, ReplicationSettings s) {
        int databases = s.databases();
        String origins = ReplicationSettings.originsSetting(in.source().version().major());
        List<Shortfall> out = new ArrayList<>();
        Shortfall.check(out, "blue", WORKERS, s.blue(WORKERS), "running", databases,
                "one apply worker per reverse subscription");
        Shortfall.check(out, "blue", PROCESSES, s.blue(PROCESSES), "running",
                Math.max(s.blue(WORKERS), databases) + 1, "the logical replication workers + their launcher");
        Shortfall.check(out, "blue", origins, s.blue(origins), "running", databases,
                "one replication origin per reverse subscription");
        return out;
    }
}
