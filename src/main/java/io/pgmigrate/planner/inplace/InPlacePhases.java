package io.pgmigrate.planner.inplace;

import io.pgmigrate.planner.ConfigCarryOver;
import io.pgmigrate.planner.DatabaseToken;
import io.pgmigrate.planner.PartitionedStatistics;
import io.pgmigrate.planner.Estimator;
import io.pgmigrate.planner.StepFactory;

import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Action.RunCommand;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.PhaseKind;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.plan.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pgmigrate.planner.StepFactory.step;

/** The phases and steps of the in-place pg_upgrade strategy (brief §4). */
public final class InPlacePhases {
    private final Inventory inv;
    private final SourceFacts source;
    private final UpgradeCommands cmd;
    private final Estimator est;
    private final UpgradeMode mode;
    private final boolean pgbouncer;
    private final OldClusterSteps oldCluster;
    private final StandbyPhases standbys;
    /** Present when Patroni manages the cluster (issue #15). */
    private final java.util.Optional<PatroniPhases> patroni;

    public InPlacePhases(Inventory inv, io.pgmigrate.facts.ClusterFacts facts) {
        this.inv = inv;
        this.source = facts.source();
        this.cmd = new UpgradeCommands(inv, source);
        this.est = new Estimator(source);
        this.mode = inv.options().mode();
        this.pgbouncer = inv.cutover() != null && inv.cutover().pgbouncer() != null;
        this.oldCluster = new OldClusterSteps(inv, cmd, pgbouncer);
        this.standbys = new StandbyPhases(inv, facts, cmd, est);
        this.patroni = PatroniPhases.of(inv, facts, cmd);
    }

    public Estimator estimator() {
        return est;
    }

    /** Whether the plan brings standbys forward with rsync (issue #15). */
    public boolean rsyncsStandbys() {
        return standbys.rsyncs();
    }

    /** Whether the plan pauses, stops and restarts Patroni (issue #15). */
    public boolean drivesPatroni() {
        return patroni.isPresent();
    }

    /** Whether the plan re-creates standbys with pg_basebackup (issue #15). */
    public boolean recreatesStandbys() {
        return standbys.recreates();
    }

    public List<Phase> phases() {
        return List.of(preflight(), prepare(), outage(), post(), cleanup());
    }

    private Phase preflight() {
        List<Step> steps = new ArrayList<>();
        steps.add(step("preflight.fingerprint", "Source is the cluster this plan was made for")
                .why("A plan made for a cluster that has changed since (stale plan) is refused.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(Action.Check.of(Action.CheckKind.SOURCE_FINGERPRINT, "system identifier "
                        + source.systemIdentifier() + ", PostgreSQL " + source.version()
                        + ", databases and settings as in the fingerprint"))
                .timeout(Duration.ofMinutes(2)).build());
        steps.add(step("preflight.workdir", "Create the work directory")
                .why("pg_upgrade writes its scripts (update_extensions.sql, delete_old_cluster.sh) and sockets here.")
                .retrySafe().action(new Action.MakeDirectory(cmd.workDir(), "0700")).timeout(Duration.ofMinutes(1)).build());
        steps.add(step("preflight.scratch-initdb", "Create a scratch cluster for pg_upgrade --check")
                .why("pg_upgrade --check needs an empty new cluster made with the same initdb flags as the real one.")
                .role(StepRole.SCRATCH_CREATE).action(RunCommand.of(cmd.initdb(cmd.scratchDir())))
                .completion(new Completion.FreshDirectory(cmd.scratchDir()))
                .undo("rm -rf " + cmd.scratchDir())
                .estimate(est.initdb(), Duration.ofMinutes(2)).build());
        steps.add(step("preflight.pg-upgrade-check", "pg_upgrade --check against the running old cluster")
                .why("PostgreSQL's own compatibility checks, with the chosen mode and jobs, before any downtime.")
                .role(StepRole.UPGRADE_CHECK).retrySafe()
                .action(new RunCommand(cmd.pgUpgrade(true, cmd.scratchDir()), null, null, cmd.workDir(),
                        cmd.upgradeLogs(cmd.scratchDir())))
                .estimate(est.pgUpgradeCheck(), Duration.ofMinutes(10)).build());
        steps.add(step("preflight.scratch-remove", "Remove the scratch cluster")
                .why("Nothing is left behind by the pre-flight.")
                .role(StepRole.SCRATCH_REMOVE).retrySafe().action(new Action.RemoveTree(cmd.scratchDir()))
                .marker(Marker.ROLLBACK_POINT).timeout(Duration.ofMinutes(2)).build());
        steps.addAll(standbys.preflight());
        return phase("preflight", PhaseKind.PREFLIGHT, "Pre-flight (read-only, no downtime)", steps);
    }

    private Phase prepare() {
        List<Step> steps = new ArrayList<>();
        steps.add(step("prepare.initdb", "Create the new PostgreSQL " + inv.target().version() + " cluster")
                .why("Same encoding, locale and data-checksums setting as the old cluster, or pg_upgrade refuses it.")
                .role(StepRole.NEW_CLUSTER_CREATE).action(RunCommand.of(cmd.initdb(cmd.newData())))
                .completion(new Completion.FreshDirectory(cmd.newData()))
                .undo("rm -rf " + cmd.newData() + " (it holds nothing yet)")
                .estimate(est.initdb(), Duration.ofMinutes(2)).build());
        if (cmd.debianTarget()) {
            steps.addAll(oldCluster.debianConfig());
        }
        if (patroni.isEmpty()) {
            // under Patroni, Patroni writes the new cluster's configuration (patroni.yml and the DCS)
            steps.add(step("prepare.settings", "Carry the old cluster's settings over")
                    .why("Non-default settings that still exist in the target, renamed where needed; port = the old"
                            + " port.")
                    .retrySafe()
                    .action(new Action.WriteFile(cmd.newData() + "/postgresql.auto.conf", ConfigCarryOver.autoConf(
                            carriedSettings()), "0600"))
                    .timeout(Duration.ofMinutes(1)).build());
        }
        steps.add(step("prepare.schema-baseline", "Capture the schema of the old cluster")
                .why("Every database's objects, definitions, owners and privileges, compared with the new cluster"
                        + " once clients are back; taken here, just before the outage, so that it adds nothing to it.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(verify(Action.Verify.Stage.BASELINE, Action.Verify.Scope.CATALOG))
                .estimate(est.schemaCapture(), Duration.ofMinutes(10)).build());
        steps.add(step("prepare.hba", "Copy pg_hba.conf")
                .why("Clients must authenticate against the new cluster exactly as before.")
                .retrySafe().action(RunCommand.of(cmd.copyFile(source.hbaFile(), (cmd.debianTarget()
                        ? cmd.newConfigDir() : cmd.newData()) + "/pg_hba.conf")))
                .timeout(Duration.ofMinutes(1)).marker(Marker.ROLLBACK_POINT).build());
        return phase("prepare", PhaseKind.PREPARE, "Prepare the new cluster (no downtime)", steps);
    }

    private Phase outage() {
        List<Step> steps = new ArrayList<>();
        patroni.ifPresent(p -> steps.addAll(p.pauseAndStop()));
        if (pgbouncer) {
            steps.add(step("outage.pause-clients", "Pause clients in pgbouncer")
                    .why("Clients wait instead of failing while the cluster is upgraded. The outage starts here."
                            + " Sent with psql from the database host.")
                    .retrySafe().inOutage(true)
                    .action(new Action.Pgbouncer(Action.Pgbouncer.Command.PAUSE))
                    .undo("RESUME in pgbouncer (always done on any failure)").timeout(Duration.ofMinutes(2)).build());
        }
        steps.add(step("outage.checkpoint", "Checkpoint the old cluster")
                .why("Makes the shutdown checkpoint short.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.RunSql(Endpoint.SOURCE, inv.source().pg().database(), "CHECKPOINT"))
                .estimate(Duration.ofSeconds(15), Duration.ofMinutes(10)).build());
        Duration counts = verifyData(true);
        steps.add(step("outage.baseline", "Capture the verification baseline")
                .why("Row counts, statistics coverage and smoke-query results of the old cluster, compared after."
                        + " " + countingCost())
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(verify(Action.Verify.Stage.BASELINE, Action.Verify.Scope.DATA))
                .estimate(counts, Duration.ofMinutes(5)).build());
        steps.add(step("outage.stop-old", "Stop the old cluster (fast shutdown)")
                .why("pg_upgrade needs both clusters stopped.")
                .role(StepRole.STOP_OLD_CLUSTER).inOutage(true).action(RunCommand.of(cmd.stopOld()))
                .completion(new Completion.ClusterShutDown(cmd.oldData(), cmd.oldBinDir()))
                .undo(String.join(" ", cmd.startOld()))
                .estimate(est.stop(), Duration.ofMinutes(11)).build());
        steps.add(step("outage.check-stopped", "Old cluster shut down cleanly")
                .why("pg_controldata must say 'shut down'; anything else means the upgrade must not start.")
                .retrySafe().inOutage(true)
                .action(new Action.Check(Action.CheckKind.CLUSTER_SHUT_DOWN, null,
                        new Action.DataDirectory(cmd.oldData(), cmd.oldBinDir()), "pg_controldata of "
                        + inv.source().dataDir() + " reports 'Database cluster state: shut down'"))
                .marker(Marker.ROLLBACK_POINT).timeout(Duration.ofMinutes(1)).build());
        steps.addAll(standbys.afterPrimaryStopped());
        steps.add(pgUpgradeStep());
        steps.addAll(standbys.afterUpgrade());
        String undoStart = mode == UpgradeMode.LINK
                ? "none: once started, the old cluster's linked files belong to the new one" : "stop the new cluster";
        if (patroni.isPresent()) {
            steps.addAll(patroni.get().configure());
            steps.add(patroni.get().startLeader(startMarker(), undoStart, est.start()));
            steps.add(patroni.get().leads());
        } else {
            steps.add(step("outage.start-new", "Start the new cluster on port " + cmd.port())
                    .why("The new cluster takes over the old one's port.")
                    .role(StepRole.START_NEW_CLUSTER).inOutage(true)
                    .action(RunCommand.of(cmd.startNew()).withLogs(cmd.newServerLog()))
                    .completion(new Completion.ServerAnswers(Endpoint.TARGET, inv.target().version()))
                    .marker(startMarker()).undo(undoStart)
                    .estimate(est.start(), Duration.ofMinutes(11)).build());
        }
        steps.add(step("outage.wait-ready", "New cluster accepts connections")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .why("Nothing else runs until the new server answers.")
                .action(new Action.WaitFor(Action.WaitFor.Condition.SERVER_ACCEPTS_CONNECTIONS, Endpoint.TARGET, null))
                .timeout(Duration.ofMinutes(5)).build());
        if (patroni.isEmpty()) {
            steps.addAll(standbys.slots()); // Patroni makes its members' slots itself
        }
        if (!fencesAfterResume()) {
            steps.add(oldCluster.fence("outage.fence-old", true));
        }
        if (patroni.isEmpty()) {
            steps.addAll(standbys.beforeClients());
        }
        return phase("outage", PhaseKind.OUTAGE, "Outage: clients cannot write", steps);
    }

    /**
     * The old cluster's settings for the new one; without synchronous_standby_names while the standbys that would
     * confirm commits are away (set back once they stream: see the standby steps).
     */
    private java.util.Map<String, String> carriedSettings() {
        java.util.Map<String, String> settings = new java.util.TreeMap<>(
                ConfigCarryOver.settings(source, source.version().major(), inv.target().version()));
        if (io.pgmigrate.check.cluster.SynchronousStandbys.clearedOnNewCluster(inv, source)) {
            settings.remove("synchronous_standby_names");
        }
        return settings;
    }

    /**
     * Measuring the data once (row counts, and fingerprints when asked for; the baseline's fingerprints
     * also hash key ranges).
     */
    private Duration verifyData(boolean baseline) {
        int jobs = inv.options().jobs();
        Duration counts = est.rowCounts(inv.options().verify().rowCounts(), jobs);
        return !inv.options().verify().fingerprints() ? counts
                : counts.plus(baseline ? est.baselineFingerprints(jobs) : est.fingerprints(jobs));
    }

    /**
     * What the chosen row-count mode adds to the outage (here, and again after the upgrade when that is
     * before clients return), and the alternative.
     */
    private String countingCost() {
        RowCountMode mode = inv.options().verify().rowCounts();
        int jobs = inv.options().jobs();
        String size = io.pgmigrate.core.Bytes.human(source.totalSizeBytes());
        String again = verifiesBeforeClients() ? " here and again after the upgrade, before clients return"
                : " here; after the upgrade they run again in a snapshot, once clients are back";
        return switch (mode) {
            case EXACT -> "Exact counts of " + size + " over " + jobs + " connections: about "
                    + io.pgmigrate.plan.PlanMarkdown.human(est.rowCounts(RowCountMode.EXACT, jobs))
                    + again + " (options.verify.rowCounts: fast would take about "
                    + io.pgmigrate.plan.PlanMarkdown.human(est.rowCounts(RowCountMode.FAST, jobs)) + ").";
            case FAST -> "Fast counts (exact below 1 GiB per table, estimates above): about "
                    + io.pgmigrate.plan.PlanMarkdown.human(est.rowCounts(RowCountMode.FAST, jobs))
                    + again + " (exact counts of " + size + " would take about "
                    + io.pgmigrate.plan.PlanMarkdown.human(est.rowCounts(RowCountMode.EXACT, jobs)) + ").";
            case OFF -> "Row counts are off (options.verify.rowCounts).";
        } + (inv.options().verify().fingerprints() ? " Data fingerprints (every row hashed in the server, by key range"
                + " too) add about " + io.pgmigrate.plan.PlanMarkdown.human(est.baselineFingerprints(jobs))
                + " here, and " + io.pgmigrate.plan.PlanMarkdown.human(est.fingerprints(jobs))
                + " to the comparison." : "");
    }

    private Step pgUpgradeStep() {
        Duration upgrade = est.pgUpgrade(mode, inv.options().jobs());
        String undo = switch (mode) {
            case SWAP -> "none once swapping has begun: the way back is a backup or a standby";
            case LINK -> "until the new cluster is started: mv global/pg_control.old global/pg_control in the old data"
                    + " directory, then start the old cluster";
            case CLONE, COPY -> "none needed: the old cluster is untouched; start it again";
        };
        return step("outage.pg-upgrade", "pg_upgrade " + mode.flag() + " --jobs=" + inv.options().jobs())
                .why("Moves the data files to PostgreSQL " + inv.target().version() + " ("
                        + mode.key() + " mode) and restores the schema. Never retried automatically.")
                .role(StepRole.PG_UPGRADE).inOutage(true).keepWaitingPastTimeout()
                .action(new RunCommand(cmd.pgUpgrade(false, cmd.newData()), null, null, cmd.workDir(),
                        cmd.upgradeLogs(cmd.newData())))
                .completion(new Completion.OutputFiles(cmd.workDir() + "/delete_old_cluster.sh",
                        List.of(cmd.workDir() + "/update_extensions.sql")))
                .marker(mode == UpgradeMode.SWAP ? Marker.POINT_OF_NO_RETURN : Marker.NONE)
                .undo(undo).estimate(upgrade, Duration.ofMinutes(30)).build();
    }

    /** Where the way back closes for the start of the new cluster (see rollback rules). */
    private Marker startMarker() {
        if (mode == UpgradeMode.LINK) {
            return Marker.POINT_OF_NO_RETURN;
        }
        if ((mode == UpgradeMode.COPY || mode == UpgradeMode.CLONE) && !pgbouncer) {
            return Marker.POINT_OF_NO_RETURN;
        }
        return Marker.NONE;
    }

    private Phase post() {
        List<Step> steps = new ArrayList<>();
        boolean keepsStatistics = inv.target().version() >= 18;
        if (keepsStatistics) {
            steps.add(step("post.analyze-missing", "Statistics for whatever pg_upgrade did not carry over")
                    .why("PostgreSQL 18 keeps planner statistics; anything missing is analysed before clients return.")
                    .retrySafe().inOutage(true).action(new Action.AnalyzeMissing(Endpoint.TARGET, cmd.vacuumdb(true)))
                    .estimate(est.analyzeMissing(), Duration.ofMinutes(30)).build());
        }
        steps.add(step("post.update-extensions", "Update extensions (when pg_upgrade wrote update_extensions.sql)")
                .why("Extensions whose target version differs are brought to it.")
                .retrySafe().inOutage(true)
                .action(cmd.updateExtensions())
                .timeout(Duration.ofMinutes(10)).build());
        Duration counts = verifyData(false);
        boolean beforeClients = verifiesBeforeClients();
        if (!beforeClients) {
            steps.add(step("post.verify-snapshot", "Hold a snapshot of the new cluster for the verification")
                    .why("One exported snapshot per database (pg_export_snapshot), held open: post.verify counts the"
                            + " data inside it as it stands now, while clients already work, so the exact comparison"
                            + " adds nothing to the outage." + (pgbouncer ? "" : " The outage ends here."))
                    .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                    .action(verify(Action.Verify.Stage.SNAPSHOT, Action.Verify.Scope.DATA))
                    .estimate(Duration.ofSeconds(1), Duration.ofMinutes(2)).build());
        } else {
            steps.add(verifyStep(counts, true));
        }
        if (pgbouncer) {
            boolean copyLike = mode == UpgradeMode.COPY || mode == UpgradeMode.CLONE;
            steps.add(step("post.resume-clients", "Resume clients in pgbouncer")
                    .why("Clients continue on the new cluster. The outage ends here.")
                    .retrySafe().inOutage(true)
                    .action(new Action.Pgbouncer(Action.Pgbouncer.Command.RESUME))
                    .marker(copyLike ? Marker.POINT_OF_NO_RETURN : Marker.NONE)
                    .timeout(Duration.ofMinutes(2)).build());
        }
        if (fencesAfterResume()) {
            steps.add(oldCluster.fence("post.fence-old", false));
        }
        if (patroni.isPresent()) {
            steps.addAll(patroni.get().startReplicas(standbys::underPatroni));
        } else {
            steps.addAll(standbys.afterClients());
        }
        if (!beforeClients) {
            steps.add(verifyStep(counts, false));
        }
        if (patroni.isEmpty()) {
            steps.addAll(standbys.afterVerify());
        }
        steps.add(step("post.verify-schema", "Compare the new cluster's schema with the old one's")
                .why("Every object, definition, owner and privilege of the baseline is there; differences the new"
                        + " version explains are listed as such. Runs once clients are back: it adds nothing to the outage.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(verify(Action.Verify.Stage.COMPARE, Action.Verify.Scope.CATALOG))
                .estimate(est.schemaCapture(), Duration.ofMinutes(10)).build());
        if (keepsStatistics) {
            steps.add(step("post.analyze-all", "Refresh all statistics")
                    .why("Extended statistics and anything else left over, while clients already work.")
                    .retrySafe().action(cmd.vacuumdb(false))
                    .estimate(est.analyzeAll(inv.options().jobs()), Duration.ofMinutes(60)).build());
        } else {
            steps.addAll(analyzeEverything());
        }
        patroni.ifPresent(p -> steps.addAll(p.pauseAsFound()));
        return phase("post", PhaseKind.POST, "Post-upgrade", steps);
    }

    /**
     * Before 18, pg_upgrade carries no planner statistics: every table is analysed in stages once clients are back
     * (minimal statistics within seconds, then better ones), then the partitioned tables, which vacuumdb leaves out.
     */
    private List<Step> analyzeEverything() {
        List<Step> steps = new ArrayList<>();
        steps.add(step("post.analyze", "Planner statistics for every table, in stages")
                .why("PostgreSQL " + inv.target().version() + "'s pg_upgrade carries no planner statistics over (18 is"
                        + " the first that does): until this step has run its first stage, queries are planned"
                        + " without them. In stages, so that rough statistics exist within seconds.")
                .retrySafe().action(cmd.vacuumdbInStages())
                .estimate(est.analyzeAll(inv.options().jobs()), Duration.ofMinutes(60)).build());
        for (SourceFacts.DatabaseFacts db : source.databases()) {
            if (db.allowConnections() && !db.template()) {
                steps.add(step("post.analyze-partitioned." + DatabaseToken.of(db.name()), "Statistics of the"
                        + " partitioned tables of " + db.name())
                        .why("vacuumdb analyses partitions, never a partitioned table as a whole (nothing to do"
                                + " where there is no partitioned table).")
                        .on(HostRole.CONTROLLER).retrySafe()
                        .action(new Action.RunSql(Endpoint.TARGET, db.name(),
                                PartitionedStatistics.analyzeSql(inv.target().version())))
                        .estimate(Duration.ofSeconds(2), Duration.ofMinutes(60)).build());
            }
        }
        return steps;
    }

    /**
     * Whether the point of no return is the resume in pgbouncer (copy or clone behind pgbouncer), so that the fence
     * comes after it; in every other mode it is behind once the new cluster answers (pg_upgrade --swap, or the new
     * cluster's start), and the fence follows that at once.
     */
    private boolean fencesAfterResume() {
        return verifiesBeforeClients();
    }

    /**
     * Whether the data is compared before clients return: only while that still keeps a way back open
     * (copy or clone behind pgbouncer, whose point of no return is the resume). Otherwise the point of no
     * return lies behind, and the comparison runs in a snapshot taken before clients return, after them.
     */
    private boolean verifiesBeforeClients() {
        return pgbouncer && (mode == UpgradeMode.COPY || mode == UpgradeMode.CLONE);
    }

    private Step verifyStep(Duration counts, boolean beforeClients) {
        return step("post.verify", "Verify the new cluster against the baseline")
                .why(beforeClients
                        ? "Row counts, statistics coverage and smoke queries must match before clients return: until"
                                + " they do, the way back to the old cluster is still open."
                        : "Row counts, statistics coverage and smoke queries of the new cluster as it stood when the"
                                + " outage ended (inside the snapshot of post.verify-snapshot), compared with the"
                                + " baseline while clients already work: past the point of no return, keeping them"
                                + " waiting would not keep a way back open.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(beforeClients)
                .action(verify(Action.Verify.Stage.COMPARE, Action.Verify.Scope.DATA))
                .estimate(counts, Duration.ofMinutes(5)).build();
    }

    private Action.Verify verify(Action.Verify.Stage stage, Action.Verify.Scope scope) {
        return new Action.Verify(stage, scope, inv.options().verify().rowCounts().key(),
                inv.options().verify().statistics(), inv.options().verify().fingerprints());
    }

    private Phase cleanup() {
        Step delete = step("cleanup.delete-old", "Delete the old cluster's data files")
                .why("Only on an explicit, later `pgmigrate cleanup`, once the new cluster has proven itself.")
                .role(StepRole.DELETE_OLD_CLUSTER).action(RunCommand.of(cmd.deleteOldCluster()))
                .completion(new Completion.PathGone(cmd.oldData()))
                .undo("none: after this the old cluster is gone").timeout(Duration.ofHours(2)).build();
        List<Step> steps = new ArrayList<>(List.of(delete));
        steps.addAll(standbys.cleanup());
        return phase("cleanup", PhaseKind.CLEANUP, "Cleanup (only with pgmigrate cleanup)", steps);
    }

    private static Phase phase(String id, PhaseKind kind, String title, List<Step> steps) {
        return StepFactory.phase(id, kind, title, steps);
    }

    private static Duration sum(List<Duration> durations) {
        return durations.stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** The write outage: the estimates of every step inside it. */
    public static Duration outage(List<Phase> phases) {
        return sum(phases.stream().flatMap(p -> p.steps().stream()).filter(Step::inOutage).map(Step::estimate)
                .toList());
    }
}
