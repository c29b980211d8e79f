package io.pgmigrate.planner.inplace;

import io.pgmigrate.check.cluster.StandbyMethod;
import io.pgmigrate.check.cluster.SynchronousStandbys;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.StandbyFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.Standby;
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
import java.util.stream.Collectors;

import static io.pgmigrate.planner.StepFactory.step;

/**
 * The standbys' steps of an in-place plan (issue #15), following PostgreSQL's pg_upgrade documentation: each standby
 * stopped once it has replayed the primary's shutdown checkpoint (checked with pg_controldata, not assumed); in link
 * mode, where its conditions hold, rsync from the primary's host before the new cluster starts (a hard-link copy of
 * the standby's old data directory kept as the way back); else a new copy made with pg_basebackup once the upgraded
 * primary serves. Each standby starts with its own settings and its connection to the primary, the physical slots
 * they use are created again first, and synchronous_standby_names comes back once its standbys stream.
 */
final class StandbyPhases {
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(2);
    private static final String SYNC = "synchronous_standby_names";

    private final Inventory inv;
    private final ClusterFacts facts;
    private final SourceFacts source;
    private final UpgradeCommands cmd;
    private final Estimator est;
    private final List<Standby> rsynced = new ArrayList<>();
    private final List<Standby> cloned = new ArrayList<>();

    StandbyPhases(Inventory inv, ClusterFacts facts, UpgradeCommands cmd, Estimator est) {
        this.inv = inv;
        this.facts = facts;
        this.source = facts.source();
        this.cmd = cmd;
        this.est = est;
        for (Standby s : inv.rebuiltStandbys()) {
            if (facts.standby(s.name()).isEmpty()) {
                continue; // not read: the plan has a blocker (standbys-listed or standby-ready) instead
            }
            (StandbyMethod.of(inv, facts, s).kind() == StandbyMethod.Kind.RSYNC ? rsynced : cloned).add(s);
        }
    }

    boolean rsyncs() {
        return !rsynced.isEmpty();
    }

    boolean recreates() {
        return !cloned.isEmpty();
    }

    private List<Standby> all() {
        List<Standby> all = new ArrayList<>(rsynced);
        all.addAll(cloned);
        return all;
    }

    /**
     * The synchronous_standby_names the new cluster gets back once its synchronous standbys stream, or null: it starts
     * without it only when a standby pgmigrate rebuilds is one of them (else it is carried over as it is).
     */
    String restoredSync() {
        String names = SynchronousStandbys.configured(source);
        return names == null || syncStandbys().isEmpty() ? null : names;
    }

    private List<Standby> syncStandbys() {
        List<String> sync = SynchronousStandbys.rebuiltSynchronous(inv, facts);
        return all().stream().filter(s -> sync.contains(s.name())).toList();
    }

    /** Whether the synchronous standbys all come back before clients do (every one of them rsynced). */
    private boolean syncBeforeClients() {
        return restoredSync() != null && cloned.stream().noneMatch(syncStandbys()::contains);
    }

    List<Step> preflight() {
        List<Step> steps = new ArrayList<>();
        for (Standby s : all()) {
            StandbyCommands sc = new StandbyCommands(inv, s);
            steps.add(step("preflight.standby-workdir." + s.name(), "Create the work directory on standby " + s.name())
                    .why("The standby's steps keep their state and its server's log here, beside its new data"
                            + " directory.")
                    .onStandby(s.name()).retrySafe().action(new Action.MakeDirectory(sc.workDir(), "0700"))
                    .timeout(Duration.ofMinutes(1)).build());
        }
        return steps;
    }

    /** Once the primary is stopped: each standby replays its shutdown checkpoint, stops, and proves it. */
    List<Step> afterPrimaryStopped() {
        List<Step> steps = new ArrayList<>();
        Action.DataDirectory primary = new Action.DataDirectory(cmd.oldData(), cmd.oldBinDir());
        for (Standby s : all()) {
            StandbyCommands sc = new StandbyCommands(inv, s);
            String n = s.name();
            steps.add(step("outage.standby-replayed." + n, "Standby " + n + " has replayed the primary's shutdown"
                    + " checkpoint")
                    .why("PostgreSQL's documentation: the standbys keep running while the primary shuts down, so that"
                            + " they receive everything; none is stopped before it has replayed the shutdown"
                            + " checkpoint. A standby that does not get there within the timeout fails the step, and the"
                            + " rollback starts the primary and the standbys again as they were.")
                    .onStandby(n).retrySafe().inOutage(true).action(new Action.StandbyReplayed(primary))
                    .estimate(Duration.ofSeconds(2), CATCH_UP_TIMEOUT).build());
            steps.add(step("outage.standby-stop." + n, "Stop standby " + n + " (fast shutdown)")
                    .why("A standby's shutdown writes a restartpoint at the last checkpoint it replayed: its control"
                            + " file then says how far it got.")
                    .onStandby(n).role(StepRole.STOP_STANDBY).inOutage(true).action(RunCommand.of(sc.stopOld()))
                    .completion(new Completion.ClusterShutDown(sc.oldData(), sc.oldBin()))
                    .undo("start it again: " + String.join(" ", sc.startOld()))
                    .estimate(est.stop(), Duration.ofMinutes(11)).build());
            steps.add(step("outage.standby-checkpoint." + n, "Standby " + n + " stopped at the primary's shutdown"
                    + " checkpoint")
                    .why("pg_controldata of the standby must say 'shut down in recovery' with the primary's \"Latest"
                            + " checkpoint location\": then it holds everything the primary wrote, the condition for"
                            + " rsync and for a way back through it.")
                    .onStandby(n).retrySafe().inOutage(true)
                    .action(new Action.StandbyCheckpoint(primary, new Action.DataDirectory(sc.oldData(), sc.oldBin())))
                    .timeout(Duration.ofMinutes(1)).build());
        }
        return steps;
    }

    /** Link mode: rsync while neither cluster runs, before the new one starts (PostgreSQL's recipe). */
    List<Step> afterUpgrade() {
        List<Step> steps = new ArrayList<>();
        for (Standby s : rsynced) {
            StandbyCommands sc = new StandbyCommands(inv, s);
            String n = s.name();
            steps.add(step("outage.standby-keep." + n, "Keep standby " + n + "'s old data directory (hard links)")
                    .why("rsync --delete changes the standby's old data directory into the primary's. A copy made of"
                            + " hard links costs no space and keeps the standby's own files as they were (rsync"
                            + " replaces files, it never writes into them): the way back until the new cluster starts.")
                    .onStandby(n).role(StepRole.STANDBY_KEEP).inOutage(true).action(RunCommand.of(sc.keep()))
                    .completion(new Completion.FreshDirectory(sc.keptData()))
                    .undo("rm -rf " + sc.oldData() + " && mv " + sc.keptData() + " " + sc.oldData())
                    .estimate(Estimator.seconds(2 + relations() * 0.0002), Duration.ofMinutes(10)).build());
            steps.add(step("outage.standby-rsync." + n, "rsync standby " + n + " from the primary")
                    .why("PostgreSQL's recipe for link mode, run on the primary's host: the files pg_upgrade linked"
                            + " become links in the standby's new data directory too; only the others travel"
                            + " (the catalogs, a few MB). Run again, it finishes what an interrupted run began.")
                    .forStandby(n).role(StepRole.STANDBY_REBUILD).retrySafe().inOutage(true)
                    .action(new RunCommand(sc.rsync(inv.source()), null, null, cmd.workDir(), null))
                    .undo("rm -rf " + sc.newData() + " on the standby's host")
                    .estimate(Estimator.seconds(5 + relations() * 0.001 + catalogBytes() / (double)
                            Estimator.NETWORK_BYTES_PER_SECOND), Duration.ofMinutes(30)).build());
        }
        return steps;
    }

    /** Once the new primary answers: the slots the standbys stream from, created again before any of them starts. */
    List<Step> slots() {
        List<String> names = all().stream().map(s -> facts.standby(s.name()).orElseThrow().receiver().slotName())
                .filter(java.util.Objects::nonNull).distinct().sorted().toList();
        if (names.isEmpty()) {
            return List.of();
        }
        String values = names.stream().map(io.pgmigrate.pg.SqlIdentifiers::literal).map(v -> "(" + v + ")")
                .collect(Collectors.joining(", "));
        return List.of(step("outage.standby-slots", "Create the standbys' replication slots again")
                .why("pg_upgrade carries no physical slot over; the standbys stream from theirs ("
                        + String.join(", ", names) + "), created with WAL reserved from now on.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.RunSql(Endpoint.TARGET, inv.source().pg().database(),
                        "SELECT pg_catalog.pg_create_physical_replication_slot(v.name, true) FROM (VALUES " + values
                                + ") AS v(name) WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots s"
                                + " WHERE s.slot_name = v.name)"))
                .timeout(Duration.ofMinutes(1)).build());
    }

    /**
     * When every synchronous standby is rsynced: the rsynced standbys start before clients return (seconds), and
     * synchronous commit with them, so that no commit the clients make is confirmed by the primary alone.
     */
    List<Step> beforeClients() {
        return syncBeforeClients() ? rsyncedStart(true) : List.of();
    }

    private List<Step> rsyncedStart(boolean inOutage) {
        String phase = inOutage ? "outage" : "post";
        List<Step> steps = new ArrayList<>();
        for (Standby s : rsynced) {
            StandbyCommands sc = new StandbyCommands(inv, s);
            steps.addAll(configure(s, sc, sc.keptData(), inOutage));
            steps.add(start(s, sc, inOutage));
        }
        for (Standby s : rsynced) {
            steps.add(streams(s, phase, inOutage));
        }
        if (inOutage) {
            steps.add(restoreSync(phase, true));
        }
        return steps;
    }

    /** Once clients work on the upgraded primary: the rsynced standbys, unless they came back before. */
    List<Step> afterClients() {
        return syncBeforeClients() ? List.of() : rsyncedStart(false);
    }

    /**
     * After the data is verified (so that no snapshot is held open while a copy runs for hours): the re-created
     * standbys, and synchronous commit once they stream.
     */
    List<Step> afterVerify() {
        List<Step> steps = new ArrayList<>();
        for (Standby s : cloned) {
            StandbyCommands sc = new StandbyCommands(inv, s);
            StandbyFacts f = facts.standby(s.name()).orElseThrow();
            steps.add(step("post.standby-clone." + s.name(), "Copy the upgraded primary to standby " + s.name()
                    + " (pg_basebackup)")
                    .why(StandbyMethod.of(inv, facts, s).why() + ". Run on the standby's host with its WAL receiver's"
                            + " connection settings (the password from its own ~/.pgpass); the old data directory stays"
                            + " as it was, at the primary's shutdown checkpoint, until cleanup.")
                    .onStandby(s.name()).role(StepRole.STANDBY_REBUILD)
                    .action(RunCommand.of(sc.cloneFrom(f.receiver().conninfo())))
                    .completion(new Completion.FreshDirectory(sc.newData()))
                    .undo("rm -rf " + sc.newData())
                    .estimate(est.standbyClone(), Duration.ofMinutes(30)).keepWaitingPastTimeout().build());
            steps.addAll(configure(s, sc, sc.oldData(), false));
            steps.add(start(s, sc, false));
        }
        for (Standby s : cloned) {
            steps.add(streams(s, "post", false));
        }
        if (restoredSync() != null && !syncBeforeClients()) {
            steps.add(restoreSync("post", false));
        }
        return steps;
    }

    /** Its settings and connection, standby.signal, and its own pg_hba.conf (from where its old files are). */
    private List<Step> configure(Standby s, StandbyCommands sc, String ownFiles, boolean inOutage) {
        String phase = inOutage ? "outage" : "post";
        StandbyFacts f = facts.standby(s.name()).orElseThrow();
        List<Step> steps = new ArrayList<>();
        steps.add(step(phase + ".standby-settings." + s.name(), "Standby " + s.name() + "'s settings")
                .why("The primary's settings carried over, the standby's own over them, its port, and its connection"
                        + " to the primary under the name the primary knows it by (no password: its host's ~/.pgpass"
                        + " gives it).")
                .onStandby(s.name()).retrySafe().inOutage(inOutage)
                .action(new Action.WriteFile(sc.newData() + "/postgresql.auto.conf", ConfigCarryOver.autoConf(
                        ConfigCarryOver.standbySettings(source, f, source.version().major(), inv.target().version(),
                                standbyPort(s, f))), "0600"))
                .timeout(Duration.ofMinutes(1)).build());
        steps.add(step(phase + ".standby-signal." + s.name(), "standby.signal for " + s.name())
                .why("It starts as a standby of the new primary.")
                .onStandby(s.name()).retrySafe().inOutage(inOutage)
                .action(new Action.WriteFile(sc.newData() + "/standby.signal", "", "0600"))
                .timeout(Duration.ofMinutes(1)).build());
        String hba = java.nio.file.Path.of(f.hbaFile()).getFileName().toString();
        steps.add(step(phase + ".standby-hba." + s.name(), "Standby " + s.name() + "'s own pg_hba.conf")
                .why("Clients and tools authenticate against the standby as before.")
                .onStandby(s.name()).retrySafe().inOutage(inOutage)
                .action(RunCommand.of(List.of("cp", "--", ownFiles + "/" + hba, sc.newData() + "/pg_hba.conf")))
                .timeout(Duration.ofMinutes(1)).build());
        return steps;
    }

    private int standbyPort(Standby s, StandbyFacts f) {
        String port = f.settings().get("port");
        return port != null ? Integer.parseInt(port) : s.pg().port();
    }

    private Step start(Standby s, StandbyCommands sc, boolean inOutage) {
        return step((inOutage ? "outage" : "post") + ".standby-start." + s.name(), "Start standby " + s.name()
                + " on PostgreSQL " + inv.target().version())
                .why("It connects to the new primary and streams from its first checkpoint.")
                .onStandby(s.name()).role(StepRole.START_STANDBY).inOutage(inOutage)
                .action(RunCommand.of(sc.startNew()).withLogs(new Action.Logs(sc.workDir(), "postgresql-"
                        + inv.target().version() + ".log")))
                .completion(new Completion.ServerRuns(sc.newData(), sc.newBin()))
                .undo("stop it: " + String.join(" ", sc.stopNew()))
                .estimate(est.start(), Duration.ofMinutes(11)).build();
    }

    /**
     * Under Patroni, once its Patroni started: the standby streams; one Patroni re-creates (pg_basebackup) may take
     * as long as a copy of the cluster.
     */
    Step underPatroni(Standby s) {
        if (!cloned.contains(s)) {
            return streams(s, "post", false);
        }
        Duration copy = est.standbyClone();
        Duration limit = copy.multipliedBy(3).compareTo(Duration.ofMinutes(30)) > 0 ? copy.multipliedBy(3)
                : Duration.ofMinutes(30);
        return streams(s, "post", false, copy, limit);
    }

    private Step streams(Standby s, String phase, boolean inOutage) {
        return streams(s, phase, inOutage, Duration.ofSeconds(5), Duration.ofMinutes(10));
    }

    private Step streams(Standby s, String phase, boolean inOutage, Duration estimate, Duration limit) {
        String name = facts.standby(s.name()).orElseThrow().receiver().applicationName();
        return step(phase + ".standby-streams." + s.name(), "Standby " + s.name() + " streams with no lag")
                .why("The new primary's pg_stat_replication shows it streaming, with nothing left to replay. When the"
                        + " last standby gets here, the cluster is highly available again.")
                .on(HostRole.CONTROLLER).forStandby(s.name()).role(StepRole.STANDBY_STREAMING).retrySafe()
                .inOutage(inOutage).action(new Action.StandbyStreams(name))
                .estimate(estimate, limit).build();
    }

    private Step restoreSync(String phase, boolean inOutage) {
        String names = restoredSync();
        return step(phase + ".synchronous-standbys", "Synchronous commit again: " + SYNC + " back")
                .why("The new cluster started without " + SYNC + " so that commits did not wait for standbys that"
                        + " were away; " + syncStandbys().stream().map(Standby::name).collect(Collectors.joining(", "))
                        + " stream again" + (inOutage ? ", before clients return." : "."))
                .on(HostRole.CONTROLLER).retrySafe().inOutage(inOutage)
                .action(new Action.AlterSystem(Endpoint.TARGET, SYNC, names))
                .timeout(Duration.ofMinutes(1)).build();
    }

    /** Only with pgmigrate cleanup: the standbys' old data directories (and kept copies). */
    List<Step> cleanup() {
        List<Step> steps = new ArrayList<>();
        for (Standby s : all()) {
            StandbyCommands sc = new StandbyCommands(inv, s);
            steps.add(step("cleanup.delete-old-standby." + s.name(), "Delete standby " + s.name() + "'s old data"
                    + " directory")
                    .why("Its old data directory, at the primary's shutdown checkpoint, was a way back to the old"
                            + " version until now.")
                    .onStandby(s.name()).role(StepRole.DELETE_OLD_STANDBY)
                    .action(RunCommand.of(List.of("rm", "-rf", "--", sc.oldData(), sc.keptData())))
                    .completion(new Completion.PathGone(sc.oldData()))
                    .undo("none: after this the old standby is gone").timeout(Duration.ofHours(2)).build());
        }
        return steps;
    }

    private long relations() {
        return source.databases().stream().mapToLong(SourceFacts.DatabaseFacts::relationCount).sum();
    }

    private long catalogBytes() {
        return source.databases().stream().mapToLong(SourceFacts.DatabaseFacts::catalogSizeBytes).sum();
    }
}
