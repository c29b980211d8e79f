package io.pgmigrate.planner.inplace;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.RunCommand;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pgmigrate.planner.StepFactory.step;

/**
 * The in-place steps about how clusters start on the host: the old cluster's fence once the way back is closed, and a
 * Debian target's configuration directory (postgresql-common's layout), whose start.conf the fence hands over.
 */
final class OldClusterSteps {
    private final Inventory inv;
    private final UpgradeCommands cmd;
    private final UpgradeMode mode;
    private final boolean pgbouncer;

    OldClusterSteps(Inventory inv, UpgradeCommands cmd, boolean pgbouncer) {
        this.inv = inv;
        this.cmd = cmd;
        this.mode = inv.options().mode();
        this.pgbouncer = pgbouncer;
    }

    /**
     * The new cluster of a Debian cluster's upgrade is a Debian cluster of the same name (postgresql-common's layout):
     * its configuration directory, refused when it exists (another cluster's), with postgresql.conf, the old cluster's
     * pg_ident.conf and a start.conf that says manual until the fence gives it the old cluster's.
     */
    List<Step> debianConfig() {
        String conf = cmd.newConfigDir();
        String parent = conf.substring(0, conf.lastIndexOf('/'));
        List<Step> steps = new ArrayList<>();
        steps.add(step("prepare.config-root", "Create " + parent)
                .why("postgresql-common keeps each cluster's configuration in " + parent + "/NAME.")
                .retrySafe().action(new Action.MakeDirectory(parent, "0755")).timeout(Duration.ofMinutes(1)).build());
        steps.add(step("prepare.config-dir", "Create the new cluster's configuration directory " + conf)
                .why("The new cluster is Debian cluster " + inv.target().version() + "/" + cmd.debianCluster()
                        + " (pg_ctlcluster, pg_lsclusters). Refused when the directory exists: it would be another"
                        + " cluster's, which pgmigrate never overwrites.")
                .role(StepRole.NEW_CLUSTER_CONFIG).action(RunCommand.of(List.of("mkdir", "-m", "0755", "--", conf)))
                .completion(new Completion.FreshDirectory(conf))
                .undo("rm -rf " + conf + " (only when this step made it)").timeout(Duration.ofMinutes(1)).build());
        steps.add(step("prepare.config", "Write the new cluster's postgresql.conf")
                .why("It includes the settings initdb wrote and names the data directory and this layout's files; the"
                        + " old cluster's settings follow in postgresql.auto.conf (next step).")
                .retrySafe().action(new Action.WriteFile(conf + "/postgresql.conf", cmd.debianPostgresqlConf(), "0644"))
                .timeout(Duration.ofMinutes(1)).build());
        steps.add(step("prepare.start-conf", "The new cluster does not start at boot yet")
                .why("Until it replaces the old cluster, a reboot must start only the old one; the fence after the"
                        + " point of no return gives the new cluster the old one's start.conf.")
                .retrySafe().action(new Action.WriteFile(conf + "/start.conf", "# pgmigrate: manual until this cluster"
                        + " replaces " + cmd.oldConfigDirOrNull() + "\nmanual\n", "0644"))
                .timeout(Duration.ofMinutes(1)).build());
        steps.add(step("prepare.ident", "Copy pg_ident.conf")
                .why("User name maps of the old cluster's authentication, as pg_hba.conf (below).")
                .retrySafe().action(RunCommand.of(cmd.copyFile(cmd.oldConfigDirOrNull() + "/pg_ident.conf",
                        conf + "/pg_ident.conf")))
                .timeout(Duration.ofMinutes(1)).build());
        return steps;
    }

    /**
     * Nothing starts the old cluster by accident once the way back is closed: a reboot would start it on the production
     * port beside the new one (split brain), with the data of before the upgrade. Placed right where the point of no
     * return is behind and the new cluster answers.
     */
    Step fence(String id, boolean inOutage) {
        Inventory.ServiceControl old = inv.source().service();
        Action.FenceOldCluster action = switch (old.kind()) {
            case PG_CTL -> Action.FenceOldCluster.pgControl(cmd.oldData());
            case PG_CTLCLUSTER -> Action.FenceOldCluster.startConf(cmd.oldConfigDirOrNull(), cmd.newConfigDir());
            case SYSTEMD -> Action.FenceOldCluster.systemd(old.unit(), inv.target().service().unit());
        };
        String title = switch (old.kind()) {
            case PG_CTL -> "Fence the old cluster: its global/pg_control renamed" + (mode == UpgradeMode.LINK
                    || mode == UpgradeMode.SWAP ? " (by pg_upgrade " + mode.flag() + " already: checked)" : "");
            case PG_CTLCLUSTER -> "Fence the old cluster: start.conf disabled; the new cluster starts at boot instead";
            case SYSTEMD -> "Fence the old cluster: disable " + old.unit() + ", enable " + inv.target().service().unit();
        };
        String behind = switch (mode) {
            case SWAP -> "pg_upgrade --swap";
            case LINK -> "the new cluster's start";
            case CLONE, COPY -> pgbouncer ? "RESUME in pgbouncer" : "the new cluster's start on the old port";
        };
        boolean copyLike = mode == UpgradeMode.COPY || mode == UpgradeMode.CLONE;
        return step(id, title)
                .why("A reboot, or a habit, must not start the old cluster on the production port beside the new one"
                        + " (split brain): " + (copyLike ? "its files are an intact copy of before the upgrade."
                        : old.kind() == Inventory.ServiceControl.Kind.PG_CTL ? "pg_upgrade " + mode.flag()
                        + " renamed its global/pg_control already; this checks that it is so."
                        : "pg_upgrade disabled its data directory (global/pg_control.old), but its start at boot is"
                        + " still set up.")
                        + " Runs as soon as the point of no return (" + behind + ") is behind and the new cluster"
                        + " answers; idempotent." + (inOutage && pgbouncer ? " Clients stay paused for it (a second)."
                        : ""))
                .role(StepRole.FENCE_OLD_CLUSTER).retrySafe().inOutage(inOutage).action(action)
                .completion(new Completion.OldClusterFenced())
                .undo(copyLike ? "pgmigrate rollback --discard-new-writes undoes it before it starts the old cluster"
                        + " (losing what the new cluster accepted)"
                        : "none: the old cluster must not start again (the way back is a backup or a standby)")
                .timeout(Duration.ofMinutes(2)).build();
    }
}
