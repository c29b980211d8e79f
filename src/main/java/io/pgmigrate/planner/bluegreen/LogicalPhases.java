package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.planner.PartitionedStatistics;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.planner.StepFactory;

import io.pgmigrate.check.logical.LogicalSizing;
import io.pgmigrate.core.Bytes;
import io.pgmigrate.check.logical.NotValidChecks;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Action.RunCommand;
import io.pgmigrate.plan.Action.RunSql;
import io.pgmigrate.plan.Action.WaitForReplication;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.PhaseKind;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.plan.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.pgmigrate.planner.StepFactory.step;

/**
 * The phases and steps of the logical-replication blue/green strategy (brief §5, issue #5): pre-flight (and, when
 * blue's wal_level is not logical, its restart), provision green and its schema ({@link LogicalGreen}), replicate,
 * cutover ({@link LogicalCutover}), post; then rollback (the cutover in reverse) and cleanup, which only {@code pgmigrate rollback} and
 * {@code pgmigrate cleanup} run.
 */
public final class LogicalPhases {
    private final Inventory inv;
    private final SourceFacts source;
    private final LogicalSizing sizing;
    private final LogicalCommands cmd;
    private final LogicalEstimator est;
    private final List<LogicalNames> dbs;
    private final boolean pgbouncer;

    public LogicalPhases(Inventory inv, SourceFacts source, LogicalSizing sizing) {
        this.inv = inv;
        this.source = source;
        this.sizing = sizing;
        this.cmd = new LogicalCommands(inv, source);
        this.est = new LogicalEstimator(inv, source);
        this.dbs = source.databases().stream().filter(d -> d.allowConnections() && !d.template())
                .map(d -> LogicalNames.of(d.name())).toList();
        this.pgbouncer = inv.cutover() != null && inv.cutover().pgbouncer() != null;
    }

    /** The estimator's assumptions, and what the write outage includes besides the cutover. */
    public List<String> assumptions() {
        List<String> out = new ArrayList<>(est.assumptions());
        if (sizing.blueRestartNeeded()) {
            out.add("the write outage includes blue's restart for wal_level = logical (about 40 s, its own short"
                    + " outage well before the cutover), besides the cutover's");
        }
        return List.copyOf(out);
    }

    public List<Phase> phases() {
        LogicalCutover cutover = new LogicalCutover(inv, cmd, est, dbs, pgbouncer);
        LogicalGreen green = new LogicalGreen(inv, source, sizing, cmd, est, dbs);
        List<Phase> phases = new ArrayList<>();
        phases.add(preflight());
        if (sizing.blueRestartNeeded()) {
            phases.add(blueRestart());
        }
        phases.addAll(List.of(green.provision(), green.schema(), replicate(green), cutover.cutover(), post(cutover),
                cutover.rollback(), cleanup()));
        return phases;
    }

    private Phase preflight() {
        Step fingerprint = step("preflight.fingerprint", "Blue is the cluster this plan was made for")
                .why("A plan made for a cluster that has changed since (stale plan) is refused. The logical"
                        + " pre-flight checks (replica identity, slots, workers, what replication does not carry)"
                        + " ran when this plan was made; their findings are above.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(Action.Check.of(Action.CheckKind.SOURCE_FINGERPRINT, "system identifier "
                        + source.systemIdentifier() + ", PostgreSQL " + source.version()
                        + ", databases and settings as in the fingerprint"))
                .marker(sizing.blueRestartNeeded() ? Marker.NONE : Marker.ROLLBACK_POINT)
                .timeout(Duration.ofMinutes(2)).build();
        return phase("preflight", PhaseKind.PREFLIGHT, "Pre-flight (read-only, no downtime)", List.of(fingerprint));
    }

    /** wal_level changes only at a restart: a restart of production, before anything exists on blue. */
    private Phase blueRestart() {
        List<Step> steps = new ArrayList<>();
        Map<String, String> settings = new TreeMap<>();
        sizing.blueShortfalls().forEach((k, v) -> settings.put(k, String.valueOf(v)));
        settings.put("wal_level", "logical");
        settings.forEach((name, value) -> steps.add(step("blue-restart.set-" + name.replace('_', '-'),
                "Set " + name + " = " + value + " on blue (takes effect at the restart)")
                .why(name.equals("wal_level") ? "Publications and replication slots need wal_level = logical; blue runs"
                        + " with " + source.settings().getOrDefault("wal_level", "unknown") + "."
                        : "Blue has too few for replication in both directions (see the pre-flight findings); the"
                        + " restart for wal_level applies it too.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(new RunSql(Endpoint.SOURCE, inv.source().pg().database(), "ALTER SYSTEM SET " + name + " = "
                        + SqlIdentifiers.literal(value)))
                .undo("ALTER SYSTEM RESET " + name + " (takes effect at the next restart)")
                .timeout(Duration.ofMinutes(1)).build()));
        if (pgbouncer) {
            steps.add(step("blue-restart.pause-clients", "Pause clients in pgbouncer for the restart")
                    .why("Clients wait for the seconds of the restart instead of failing.")
                    .retrySafe().inOutage(true).action(new Action.Pgbouncer(Action.Pgbouncer.Command.PAUSE))
                    .undo("RESUME in pgbouncer (always done on any failure)").timeout(Duration.ofMinutes(2)).build());
        }
        steps.add(step("blue-restart.restart", "RESTART OF PRODUCTION: restart blue with wal_level = logical")
                .why("A fast shutdown and start of the running production cluster: "
                        + (pgbouncer ? "clients wait in pgbouncer" : "clients are disconnected and must reconnect")
                        + " for the seconds it takes. Schedule it; or set wal_level = logical yourself beforehand at a"
                        + " moment of your choosing and plan again, and this phase disappears.")
                .role(StepRole.RESTART_SOURCE).inOutage(true).action(RunCommand.of(cmd.restartBlue()))
                .undo("none needed: blue runs as before, with more WAL written per change")
                .estimate(Duration.ofSeconds(40), Duration.ofMinutes(11)).build());
        steps.add(step("blue-restart.ready", "Blue accepts connections again")
                .why("Nothing else runs until blue answers.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.WaitFor(Action.WaitFor.Condition.SERVER_ACCEPTS_CONNECTIONS, Endpoint.SOURCE, null))
                .timeout(Duration.ofMinutes(5)).build());
        if (pgbouncer) {
            steps.add(step("blue-restart.resume-clients", "Resume clients in pgbouncer")
                    .why("The restart's outage ends here.")
                    .retrySafe().inOutage(true).action(new Action.Pgbouncer(Action.Pgbouncer.Command.RESUME))
                    .timeout(Duration.ofMinutes(2)).build());
        }
        steps.add(step("blue-restart.check", "Blue runs with wal_level = logical")
                .why("Publications and slots are created only once this holds.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(Action.Check.on(Action.CheckKind.WAL_LEVEL_LOGICAL, Endpoint.SOURCE,
                        "SHOW wal_level on blue says logical"))
                .marker(Marker.ROLLBACK_POINT).timeout(Duration.ofMinutes(1)).build());
        return phase("blue-restart", PhaseKind.SOURCE_RESTART, "Restart of blue for wal_level = logical (PRODUCTION: clients "
                + (pgbouncer ? "wait" : "are disconnected") + " for seconds)", steps);
    }

    private Phase replicate(LogicalGreen green) {
        List<Step> steps = new ArrayList<>();
        // green's own standbys (issue #15): copied once green has blue's roles (their replication login) and schema,
        // before the initial copy, which then reaches them by streaming
        steps.addAll(new GreenStandbyPhases(inv, est.base()).provision(green.greenSettings()));
        for (LogicalNames db : dbs) {
            List<String> drop = notValidChecks(db, NotValidChecks::dropOnGreen);
            if (!drop.isEmpty()) {
                steps.add(step("replicate.defer-checks." + db.token(), "Set aside green's NOT VALID check"
                        + " constraints of " + db.database() + " for the initial copy")
                        .why("Blue has rows that may violate them (NOT VALID applies to new rows only); the initial"
                                + " copy brings those rows, and a constraint in force on green would refuse them for"
                                + " ever. They come back, NOT VALID, once the copy is done.")
                        .on(HostRole.CONTROLLER).retrySafe()
                        .action(new RunSql(Endpoint.TARGET, db.database(), String.join(";\n", drop)))
                        .timeout(Duration.ofMinutes(2)).build());
            }
            steps.add(step("replicate.publication." + db.token(), "Publish every table of " + db.database() + " on blue")
                    .why("Created only now that the pre-flight found a replica identity for every table: FOR ALL"
                            + " TABLES makes UPDATE and DELETE fail on a table without one.")
                    .on(HostRole.CONTROLLER).retrySafe()
                    .action(new Action.CreatePublication(Endpoint.SOURCE, db.database(), db.forward()))
                    .undo("DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(db.forward()) + " on blue")
                    .timeout(Duration.ofMinutes(2)).build());
            steps.add(step("replicate.subscription." + db.token(), "Subscribe green's " + db.database() + " to blue")
                    .why("Creates the slot " + db.forward() + " on blue and starts the initial copy with up to"
                            + " max_sync_workers_per_subscription tables at once. The connection string has no"
                            + " password: green's server reads it from ~/.pgpass of its OS user on green's host"
                            + " (a passfile you put there, mode 0600), if blue asks for one.")
                    .on(HostRole.CONTROLLER).retrySafe()
                    .action(new Action.CreateSubscription(Endpoint.TARGET, db.database(), db.forward(),
                            cmd.blueFromGreen(db.database()), db.forward(), db.forward(), true, false))
                    .undo("DROP SUBSCRIPTION IF EXISTS " + SqlIdentifiers.quote(db.forward())
                            + " on green (drops its slot on blue)")
                    .timeout(Duration.ofMinutes(5)).build());
        }
        for (LogicalNames db : dbs) {
            Duration copy = est.initialCopy(); // the databases copy side by side: each wait may take all of it
            steps.add(step("replicate.initial-copy." + db.token(), "Initial copy of " + db.database())
                    .why("Every table of the subscription is ready (progress per table: pg_subscription_rel and"
                            + " pg_stat_progress_copy on green).")
                    .on(HostRole.CONTROLLER).retrySafe()
                    .action(new WaitForReplication(WaitForReplication.Condition.TABLES_READY, Endpoint.SOURCE,
                            db.database(), db.forward(), db.forward(), 0, null))
                    .estimate(db == dbs.get(0) ? copy : Duration.ofSeconds(1), Duration.ofHours(2)).build());
        }
        for (LogicalNames db : dbs) {
            List<String> add = notValidChecks(db, r -> NotValidChecks.dropOnGreen(r) + ";\n" + NotValidChecks.addOnGreen(r));
            if (!add.isEmpty()) {
                steps.add(step("replicate.restore-checks." + db.token(), "Give green's " + db.database()
                        + " its NOT VALID check constraints back")
                        .why("As blue has them: NOT VALID, so the rows copied are not checked, every new or changed"
                                + " row is. Dropped first if there, so that a rerun does the same.")
                        .on(HostRole.CONTROLLER).retrySafe()
                        .action(new RunSql(Endpoint.TARGET, db.database(), String.join(";\n", add)))
                        .timeout(Duration.ofMinutes(5)).build());
            }
        }
        refreshViews(steps, "replicate", "Their contents are not replicated: populated on green from the copied"
                + " tables before the cutover, so that no client on green finds one unpopulated (refreshed again after"
                + " the switch).");
        for (LogicalNames db : dbs) {
            steps.add(step("replicate.caught-up." + db.token(), "Green's " + db.database() + " is close behind blue")
                    .why("Measured in bytes on blue from the slot's confirmed position, not from what was sent; the"
                            + " frozen catch-up of the cutover then has at most " + Bytes.human(LogicalEstimator.LAG_BYTES)
                            + " to apply.")
                    .on(HostRole.CONTROLLER).retrySafe()
                    .action(new WaitForReplication(WaitForReplication.Condition.LAG_BELOW, Endpoint.SOURCE,
                            db.database(), db.forward(), db.forward(), LogicalEstimator.LAG_BYTES, null))
                    .estimate(Duration.ofSeconds(10), Duration.ofHours(1)).build());
        }
        steps.addAll(new GreenStandbyPhases(inv, est.base()).streaming());
        markLast(steps, Marker.ROLLBACK_POINT);
        return phase("replicate", PhaseKind.REPLICATE, "Replicate: publications on blue, subscriptions on green, initial copy (no downtime)",
                steps);
    }

    private Phase post(LogicalCutover cutover) {
        HostRole host = cmd.greenHost();
        List<Step> steps = new ArrayList<>();
        Step compare = cutover.compareHeld();
        if (compare != null) {
            steps.add(compare);
        }
        for (LogicalNames db : dbs) {
            steps.add(step("post.nothing-written-on-blue." + db.token(), "Prove nothing was written on blue directly"
                    + " since the frozen point (" + db.database() + ")")
                    .why("Blue's forward slot, stopped at the frozen point, still holds everything blue wrote since: what"
                            + " came back from green by reverse replication carries its origin; a transaction without"
                            + " one was written on blue by a session that bypassed the freeze (of pgmigrate's own role,"
                            + " which the fence cannot block), and green lacks it. Found: the execution fails (exit 5)"
                            + " and pgmigrate rollback returns clients to blue, which holds both.")
                    .on(HostRole.CONTROLLER).retrySafe()
                    .action(Action.NothingUnreplicated.writtenLocally(Endpoint.SOURCE, db.database(), db.forward(),
                            db.forward()))
                    .timeout(Duration.ofMinutes(5)).build());
        }
        for (LogicalNames db : dbs) {
            steps.add(step("post.drop-forward." + db.token(), "Drop the subscription of green's " + db.database()
                    + " to blue")
                    .why("Disabled at the cutover; dropping it removes its slot " + db.forward() + " from blue, which"
                            + " would otherwise keep WAL until blue's disk fills. Reverse replication is not touched.")
                    .on(HostRole.CONTROLLER).retrySafe()
                    .action(new Action.DropSubscription(Endpoint.TARGET, db.database(), db.forward()))
                    .timeout(Duration.ofMinutes(2)).build());
        }
        refreshViews(steps, "post", "Their contents are not replicated; refreshed again on green once its tables"
                + " are final.");
        steps.add(step("post.analyze", "Planner statistics on green")
                .why("Logical replication carries rows, not statistics: every table is analysed, in stages so that"
                        + " rough statistics exist within seconds.")
                .on(host).retrySafe().action(cmd.analyzeGreen())
                .estimate(est.base().analyzeAll(inv.options().jobs()), Duration.ofMinutes(60)).build());
        for (LogicalNames db : dbs) {
            steps.add(step("post.analyze-partitioned." + db.token(), "Statistics of the partitioned tables of "
                    + db.database() + " on green")
                    .why("vacuumdb analyses partitions, never a partitioned table as a whole; blue's planner has those"
                            + " statistics, green's gets them here (nothing to do where there is no partitioned table).")
                    .on(HostRole.CONTROLLER).retrySafe()
                    .action(new RunSql(Endpoint.TARGET, db.database(),
                            PartitionedStatistics.analyzeSql(inv.target().version())))
                    .estimate(Duration.ofSeconds(2), Duration.ofMinutes(60)).build());
        }
        steps.add(step("post.verify-schema", "Compare green's schema with blue's")
                .why("Every object, definition, owner and privilege; differences the new version explains are"
                        + " listed as such.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(LogicalCutover.verify(inv, Action.Verify.Scope.CATALOG))
                .estimate(est.base().schemaCapture(), Duration.ofMinutes(10)).build());
        return phase("post", PhaseKind.POST, "Post-cutover (clients on green)", steps);
    }

    /** One statement per NOT VALID check constraint of the database that the pre-flight found. */
    private List<String> notValidChecks(LogicalNames db, java.util.function.Function<ProbeRow, String> statement) {
        return source.probe(NotValidChecks.ID).stream().filter(r -> r.database().equals(db.database()))
                .map(statement).toList();
    }

    /** One step per database with materialized views populated on blue: REFRESH each on green. */
    private void refreshViews(List<Step> steps, String phase, String why) {
        for (LogicalNames db : dbs) {
            List<String> views = source.probe("logical-materialized-views").stream()
                    .filter(r -> r.database().equals(db.database())).map(LogicalPhases::refresh).toList();
            if (!views.isEmpty()) {
                steps.add(step(phase + ".refresh-views." + db.token(), "Refresh the materialized views of "
                        + db.database()).why(why).on(HostRole.CONTROLLER).retrySafe()
                        .action(new RunSql(Endpoint.TARGET, db.database(), String.join(";\n", views)))
                        .estimate(Duration.ofSeconds(5L * views.size()), Duration.ofMinutes(30)).build());
            }
        }
    }

    private static String refresh(ProbeRow r) {
        return "REFRESH MATERIALIZED VIEW " + SqlIdentifiers.qualified(r.get("schema_name"), r.get("relation_name"));
    }

    private Phase cleanup() {
        List<Step> steps = new ArrayList<>();
        for (LogicalNames db : dbs) {
            steps.add(drop("cleanup.forward-subscription." + db.token(), "Drop green's subscription to blue ("
                    + db.database() + ")", new Action.DropSubscription(Endpoint.TARGET, db.database(), db.forward())));
            steps.add(drop("cleanup.reverse-subscription." + db.token(), "Drop blue's subscription to green ("
                    + db.database() + ")", new Action.DropSubscription(Endpoint.SOURCE, db.database(), db.reverse())));
            steps.add(drop("cleanup.publication." + db.token(), "Drop blue's publication (" + db.database() + ")",
                    new Action.DropPublication(Endpoint.SOURCE, db.database(), db.forward())));
            steps.add(drop("cleanup.reverse-publication." + db.token(), "Drop green's publication ("
                    + db.database() + ")", new Action.DropPublication(Endpoint.TARGET, db.database(), db.reverse())));
        }
        steps.add(dropSlots("cleanup.blue-slots", Endpoint.SOURCE, dbs.stream().map(LogicalNames::forward).toList()));
        steps.add(dropSlots("cleanup.green-slots", Endpoint.TARGET, dbs.stream().map(LogicalNames::reverse).toList()));
        steps.add(step("cleanup.workdir", "Remove the work directory on green's host")
                .why("The schema dumps and logs of this migration.")
                .on(cmd.greenHost()).retrySafe().action(new Action.RemoveTree(cmd.workDir()))
                .timeout(Duration.ofMinutes(2)).build());
        return phase("cleanup", PhaseKind.CLEANUP, "Cleanup: subscriptions, publications and slots on both sides (only with pgmigrate"
                + " cleanup; blue itself is left as it is)", steps);
    }

    private static Step drop(String id, String title, Action drop) {
        return step(id, title)
                .why("An orphaned replication slot keeps WAL until the disk fills; nothing of the migration is left"
                        + " behind. IF EXISTS: safe to run again, and after an aborted execution.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(drop)
                .timeout(Duration.ofMinutes(2)).build();
    }

    private Step dropSlots(String id, Endpoint on, List<String> slots) {
        return step(id, "Drop pgmigrate's leftover slots on " + (on == Endpoint.SOURCE ? "blue" : "green"))
                .why("Slots a dropped subscription could not remove (its other side was unreachable).")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(new Action.DropSlots(on, inv.source().pg().database(), slots))
                .timeout(Duration.ofMinutes(2)).build();
    }

    static void markLast(List<Step> steps, Marker marker) {
        StepFactory.markLast(steps, marker);
    }

    static Phase phase(String id, PhaseKind kind, String title, List<Step> steps) {
        return StepFactory.phase(id, kind, title, steps);
    }
}
