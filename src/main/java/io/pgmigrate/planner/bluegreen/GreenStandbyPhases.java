package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.GreenStandby;
import io.pgmigrate.inventory.PeerAddresses;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Action.RunCommand;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.planner.ConfigCarryOver;
import io.pgmigrate.planner.Estimator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.pgmigrate.planner.StepFactory.step;

/**
 * Green's own standbys (blue/green, issue #15): each copied from green with pg_basebackup once green has blue's roles
 * (the standby's replication login) and schema, before the initial copy, which then reaches them by streaming; each streams with no lag before
 * the cutover begins, so that the new primary is highly available from its first second. Blue's standbys are not
 * touched: they keep following blue.
 */
final class GreenStandbyPhases {
    private final Inventory inv;
    private final Estimator est;

    GreenStandbyPhases(Inventory inv, Estimator est) {
        this.inv = inv;
        this.est = est;
    }

    /** The physical slot on green a standby streams from: its name in the characters a slot name allows. */
    static String slot(GreenStandby s) {
        return "pgmigrate_standby_" + s.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** Once green has its roles and schema: each standby made, configured and started. */
    List<Step> provision(Map<String, String> greenSettings) {
        List<Step> steps = new ArrayList<>();
        String green = PeerAddresses.green(inv);
        for (GreenStandby s : inv.target().standbys()) {
            GreenStandbyCommands sc = new GreenStandbyCommands(inv, s);
            String n = s.name();
            steps.add(step("replicate.standby-workdir." + n, "Create the work directory on green's standby " + n)
                    .why("Its server's log is kept here, beside its data directory.")
                    .onStandby(n).retrySafe().action(new Action.MakeDirectory(sc.workDir(), "0700"))
                    .timeout(Duration.ofMinutes(1)).build());
            steps.add(step("replicate.standby-slot." + n, "Replication slot " + slot(s) + " on green for " + n)
                    .why("Green keeps the WAL the standby has not received yet: the schema's restore and the initial"
                            + " copy reach it whole, however far behind it falls.")
                    .on(HostRole.CONTROLLER).forStandby(n).retrySafe()
                    .action(new Action.RunSql(Endpoint.TARGET, inv.source().pg().database(),
                            "SELECT pg_catalog.pg_create_physical_replication_slot(v.name, true) FROM (VALUES ("
                                    + io.pgmigrate.pg.SqlIdentifiers.literal(slot(s)) + ")) AS v(name) WHERE NOT EXISTS"
                                    + " (SELECT FROM pg_catalog.pg_replication_slots r WHERE r.slot_name = v.name)"))
                    .timeout(Duration.ofMinutes(1)).build());
            List<String> clone = new ArrayList<>(sc.cloneFrom(green));
            clone.add("--slot=" + slot(s));
            steps.add(step("replicate.standby-clone." + n, "Copy green to its standby " + n + " (pg_basebackup)")
                    .why("Green holds its schema and no data yet: the copy takes seconds, and everything written to"
                            + " green from now on (the initial copy, the clients after the cutover) reaches the standby"
                            + " by streaming. Run on the standby's host as " + s.replicationUser()
                            + " (the password from its own ~/.pgpass).")
                    .onStandby(n).role(StepRole.STANDBY_REBUILD).action(RunCommand.of(clone))
                    .completion(new Completion.FreshDirectory(sc.dataDir()))
                    .undo("rm -rf " + sc.dataDir())
                    .estimate(Estimator.seconds(10), Duration.ofMinutes(10)).build());
            Map<String, String> settings = new TreeMap<>(greenSettings);
            settings.put("port", String.valueOf(s.pg().port()));
            settings.put("primary_conninfo", sc.conninfo(green));
            settings.put("primary_slot_name", slot(s));
            steps.add(step("replicate.standby-settings." + n, "Standby " + n + "'s settings")
                    .why("Green's settings, its own port, and its connection to green under its name (no password: its"
                            + " host's ~/.pgpass gives it).")
                    .onStandby(n).retrySafe()
                    .action(new Action.WriteFile(sc.dataDir() + "/postgresql.auto.conf",
                            ConfigCarryOver.autoConf(settings), "0600"))
                    .timeout(Duration.ofMinutes(1)).build());
            steps.add(step("replicate.standby-signal." + n, "standby.signal for " + n)
                    .why("It starts as a standby of green.")
                    .onStandby(n).retrySafe().action(new Action.WriteFile(sc.dataDir() + "/standby.signal", "", "0600"))
                    .timeout(Duration.ofMinutes(1)).build());
            steps.add(step("replicate.standby-start." + n, "Start green's standby " + n)
                    .why("It connects to green and streams from there on.")
                    .onStandby(n).role(StepRole.START_STANDBY)
                    .action(RunCommand.of(sc.start()).withLogs(new Action.Logs(sc.workDir(), "postgresql-"
                            + inv.target().version() + ".log")))
                    .completion(new Completion.ServerRuns(sc.dataDir(), sc.binDir()))
                    .undo("stop it: " + String.join(" ", sc.stop()))
                    .estimate(est.start(), Duration.ofMinutes(11)).build());
        }
        return steps;
    }

    /** Before the cutover: every standby of green streams with nothing left to replay. */
    List<Step> streaming() {
        List<Step> steps = new ArrayList<>();
        for (GreenStandby s : inv.target().standbys()) {
            steps.add(step("replicate.green-standby-streams." + s.name(), "Green's standby " + s.name()
                    + " streams with no lag")
                    .why("Green's pg_stat_replication shows it streaming with nothing left to replay: the new primary"
                            + " is highly available before clients come to it.")
                    .on(HostRole.CONTROLLER).forStandby(s.name()).role(StepRole.STANDBY_STREAMING).retrySafe()
                    .action(new Action.StandbyStreams(s.name()))
                    .estimate(Duration.ofSeconds(5), Duration.ofMinutes(30)).build());
        }
        return steps;
    }
}
