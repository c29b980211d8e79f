package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.planner.ConfigCarryOver;
import io.pgmigrate.planner.StepFactory;

import io.pgmigrate.check.logical.LogicalSizing;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.pg.SqlIdentifiers;
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
import java.util.Map;
import java.util.TreeMap;

import static io.pgmigrate.planner.bluegreen.LogicalPhases.markLast;
import static io.pgmigrate.planner.bluegreen.LogicalPhases.phase;
import static io.pgmigrate.planner.StepFactory.step;

/**
 * Green before any replication: the cluster (initdb with blue's flags, blue's settings with what replication needs,
 * blue's pg_hba.conf, started), then blue's roles and every database's schema restored into it with the target's
 * tools, on green's host.
 */
final class LogicalGreen {
    private final Inventory inv;
    private final SourceFacts source;
    private final LogicalSizing sizing;
    private final LogicalCommands cmd;
    private final LogicalEstimator est;
    private final List<LogicalNames> dbs;

    LogicalGreen(Inventory inv, SourceFacts source, LogicalSizing sizing, LogicalCommands cmd, LogicalEstimator est,
                 List<LogicalNames> dbs) {
        this.inv = inv;
        this.source = source;
        this.sizing = sizing;
        this.cmd = cmd;
        this.est = est;
        this.dbs = dbs;
    }

    Phase provision() {
        HostRole host = cmd.greenHost();
        int port = inv.target().port();
        List<Step> steps = new ArrayList<>();
        steps.add(step("green.workdir", "Create the work directory on green's host")
                .why("Mode 0700: the roles file and the schema dumps are written here, readable by nobody else.")
                .on(host).retrySafe().action(new Action.MakeDirectory(cmd.workDir(), "0700")).timeout(Duration.ofMinutes(1))
                .build());
        steps.add(step("green.initdb", "Create green: a PostgreSQL " + inv.target().version() + " cluster")
                .why("Same encoding, locale and data-checksums setting as blue, so that every database and every"
                        + " comparison behaves the same.")
                .on(host).role(StepRole.NEW_CLUSTER_CREATE).action(RunCommand.of(cmd.initdb()))
                .completion(new Completion.FreshDirectory(cmd.newData()))
                .undo("rm -rf " + cmd.newData() + " (it holds nothing yet)")
                .estimate(est.base().initdb(), Duration.ofMinutes(2)).build());
        steps.add(step("green.settings", "Carry blue's settings over, with what replication needs")
                .why("Blue's non-default settings that still exist in " + inv.target().version() + " (renamed where"
                        + " needed); port = " + port + "; wal_level = logical (blue subscribes to green after the"
                        + " switch) and slots, WAL senders, workers and origins for both directions, as the"
                        + " pre-flight counted them for " + dbs.size() + " database(s)." + (cmd.greenElsewhere()
                        ? " listen_addresses = '*' on its own host (blue's addresses are not green's): pg_hba.conf,"
                        + " copied from blue next, decides who gets in." : ""))
                .on(host).retrySafe()
                .action(new Action.WriteFile(cmd.newData() + "/postgresql.auto.conf",
                        ConfigCarryOver.autoConf(greenSettings()), "0600"))
                .timeout(Duration.ofMinutes(1)).build());
        steps.add(step("green.hba", "Copy blue's pg_hba.conf to green")
                .why("Clients authenticate against green exactly as against blue; its lines must also let blue's"
                        + " host connect to green's databases (reverse replication after the switch).")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(new Action.CopyFile(HostRole.SOURCE, source.hbaFile(), host, cmd.newData() + "/pg_hba.conf",
                        "0600"))
                .timeout(Duration.ofMinutes(1)).build());
        steps.add(step("green.start", "Start green on port " + port)
                .why("Green runs beside blue from now on; clients do not know about it yet.")
                .on(host).role(StepRole.START_NEW_CLUSTER)
                .action(RunCommand.of(cmd.startGreen()).withLogs(cmd.greenServerLog()))
                .completion(new Completion.ServerAnswers(Endpoint.TARGET, inv.target().version()))
                .undo("pg_ctl stop -D " + cmd.newData() + " -m fast")
                .estimate(est.base().start(), Duration.ofMinutes(11)).build());
        steps.add(step("green.ready", "Green accepts connections")
                .why("Nothing else runs until green answers.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(new Action.WaitFor(Action.WaitFor.Condition.SERVER_ACCEPTS_CONNECTIONS, Endpoint.TARGET, null))
                .marker(Marker.ROLLBACK_POINT).timeout(Duration.ofMinutes(5)).build());
        return phase("green", PhaseKind.GREEN, "Provision green (no downtime)", steps);
    }

    /** Blue's settings carried over, green's port and socket, and what replication needs in both directions. */
    Map<String, String> greenSettings() {
        Map<String, String> s = new TreeMap<>(ConfigCarryOver.settings(source, source.version().major(),
                inv.target().version()));
        s.put("port", String.valueOf(inv.target().port()));
        s.put("unix_socket_directories", source.settings().getOrDefault("unix_socket_directories", cmd.socketDir()));
        s.putAll(sizing.green());
        int standbys = inv.target().standbys().size();
        if (standbys > 0) {
            // a WAL sender and a slot for each of green's own standbys, beside what replication needs
            for (String name : List.of("max_wal_senders", "max_replication_slots")) {
                s.computeIfPresent(name, (k, v) -> String.valueOf(Integer.parseInt(v) + standbys));
            }
        }
        if (io.pgmigrate.check.cluster.SynchronousStandbys.clearedOnGreen(inv, source)) {
            s.remove("synchronous_standby_names"); // blue's standbys stay with blue (see synchronous-standbys)
        }
        if (cmd.greenElsewhere()) {
            s.put("listen_addresses", "*");
        }
        return s;
    }

    Phase schema() {
        HostRole host = cmd.greenHost();
        List<Step> steps = new ArrayList<>();
        String globals = cmd.globalsFile();
        steps.add(step("schema.globals-file", "Create the roles file, readable by its owner only")
                .why("pg_dumpall writes roles with their password hashes (SCRAM) into it: they travel in this file on"
                        + " green's host only, never through pgmigrate, the plan or its logs.")
                .on(host).retrySafe().action(RunCommand.of(cmd.createPrivateFile(globals)))
                .undo("rm -f " + globals).timeout(Duration.ofMinutes(1)).build());
        steps.add(step("schema.globals-dump", "Dump roles from blue with PostgreSQL " + inv.target().version()
                        + "'s pg_dumpall")
                .why("Roles, their memberships, settings and password hashes (--globals-only; tablespaces are left out"
                        + tablespaceNote() + "). The password of the connecting role, if it needs one, comes from"
                        + " ~/.pgpass of the OS user on green's host; no connection string in this plan carries one.")
                .on(host).retrySafe().action(cmd.dumpGlobals())
                .estimate(Duration.ofSeconds(5), Duration.ofMinutes(5)).build());
        steps.add(step("schema.globals-restore", "Create the roles on green")
                .why("psql runs the file; the one error expected is that the bootstrap role "
                        + source.bootstrapSuperuser() + " exists already (initdb made it).")
                .on(host).action(cmd.restoreGlobals())
                .estimate(Duration.ofSeconds(5), Duration.ofMinutes(5)).build());
        steps.add(step("schema.globals-remove", "Remove the roles file")
                .why("The password hashes do not stay on disk longer than needed.")
                .on(host).retrySafe().action(RunCommand.of(cmd.removeFile(globals)))
                .timeout(Duration.ofMinutes(1)).build());
        for (LogicalNames db : dbs) {
            steps.add(step("schema.dump." + db.token(), "Dump the schema of " + db.database())
                    .why("Schema only, with PostgreSQL " + inv.target().version() + "'s pg_dump (as the schema"
                            + " rehearsal did when this plan was made).")
                    .on(host).retrySafe().action(cmd.dumpSchema(db))
                    .estimate(Duration.ofSeconds(5), Duration.ofMinutes(10)).build());
            steps.add(step("schema.restore." + db.token(), "Restore the schema of " + db.database() + " into green")
                    .why("The whole schema, indexes and constraints included, before the initial copy: green applies"
                            + " every UPDATE and DELETE by the replica identity (the primary key), which pg_restore"
                            + " builds only with the post-data section, so building indexes after the copy would make"
                            + " the catch-up scan whole tables per change; the copy is slower instead, and the"
                            + " estimate counts that. --exit-on-error: a schema green cannot take stops here.")
                    .on(host).action(cmd.restoreSchema(db))
                    .undo(db.database().equals("postgres") ? "drop what it created in green's postgres database"
                            : "DROP DATABASE " + SqlIdentifiers.quote(db.database()) + " on green")
                    .estimate(est.schemaRestore(), Duration.ofMinutes(10)).build());
        }
        markLast(steps, Marker.ROLLBACK_POINT);
        return phase("schema", PhaseKind.SCHEMA, "Schema: roles and every database's schema on green (no downtime)", steps);
    }

    private String tablespaceNote() {
        boolean any = source.tablespaces().stream().anyMatch(t -> t.location() != null && !t.location().isEmpty());
        return any ? ": blue's user tablespaces are not created on green, whose objects all go to its default"
                + " tablespace; create them on green beforehand and edit nothing else if they matter" : "";
    }
}
