package io.pgmigrate.planner.inplace;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.Standby;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.RunCommand;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.planner.StepFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.pgmigrate.planner.StepFactory.step;

/**
 * The Patroni steps of an in-place plan (issue #15), what docs/patroni-upgrade-notes.md found a careful DBA must do with
 * Patroni 3.0.2: pause, then stop Patroni on every member so that it neither restarts, promotes nor takes a leader lock
 * for a server pg_upgrade starts; once the standbys are stopped and pg_upgrade (and rsync) done, every member's
 * patroni.yml names the new version, the DCS forgets the old system identifier and the pause, and Patroni starts on the
 * leader (it takes the new cluster up and promotes it), then on the replicas (rsynced ones start from their copy,
 * the others Patroni clones itself). The cluster is paused again at the end when it was found paused.
 */
final class PatroniPhases {
    private final Inventory inv;
    private final Inventory.Patroni patroni;
    private final PatroniFacts facts;
    private final ClusterFacts cluster;
    private final UpgradeCommands cmd;
    private final String leader;
    private final String leaderRest;

    private PatroniPhases(Inventory inv, ClusterFacts cluster, UpgradeCommands cmd, String leader, String leaderRest) {
        this.inv = inv;
        this.patroni = inv.ha().patroni();
        this.facts = cluster.patroni();
        this.cluster = cluster;
        this.cmd = cmd;
        this.leader = leader;
        this.leaderRest = leaderRest;
    }

    /**
     * The Patroni steps when the inventory names a Patroni cluster and inspection found the source's member leading
     * and a REST endpoint of it; empty otherwise (the plan then has a blocker saying why: patroni-leader, say).
     */
    static Optional<PatroniPhases> of(Inventory inv, ClusterFacts facts, UpgradeCommands cmd) {
        if (inv.ha() == null || inv.ha().patroni() == null || facts.patroni() == null) {
            return Optional.empty();
        }
        PatroniFacts p = facts.patroni();
        Optional<PatroniFacts.Member> source = p.members().stream().filter(PatroniFacts.Member::source)
                .filter(PatroniFacts.Member::isLeader).findFirst();
        if (source.isEmpty()) {
            return Optional.empty();
        }
        String rest = restOf(p, source.get().name());
        return rest == null ? Optional.empty()
                : Optional.of(new PatroniPhases(inv, facts, cmd, source.get().name(), rest));
    }

    private static String restOf(PatroniFacts p, String member) {
        return p.endpoints().stream().filter(e -> member.equals(e.member())).map(PatroniFacts.Endpoint::endpoint)
                .findFirst().orElse(null);
    }

    /** The replicas pgmigrate brings forward: the listed standbys Patroni knows as members, with their endpoints. */
    private List<Replica> replicas() {
        List<Replica> list = new ArrayList<>();
        for (Standby s : inv.rebuiltStandbys()) {
            if (cluster.standby(s.name()).isEmpty()) {
                continue; // not read: the plan has a blocker instead
            }
            facts.members().stream().filter(m -> s.name().equals(m.standby())).findFirst().ifPresent(m -> {
                String rest = restOf(facts, m.name());
                if (rest != null) {
                    list.add(new Replica(s, m.name(), rest));
                }
            });
        }
        return list;
    }

    private record Replica(Standby standby, String member, String rest) {
    }

    private List<String> stopCommand() {
        Inventory.PatroniService s = patroni.service();
        return s.unit() != null ? List.of("systemctl", "stop", s.unit()) : s.stop();
    }

    private List<String> startCommand() {
        Inventory.PatroniService s = patroni.service();
        return s.unit() != null ? List.of("systemctl", "start", s.unit()) : s.start();
    }

    /** At the window's start: the pause, then Patroni stopped on the replicas and on the leader. */
    List<Step> pauseAndStop() {
        List<Step> steps = new ArrayList<>();
        steps.add(step("outage.patroni-pause", "Pause Patroni (maintenance mode)")
                .why("Paused, Patroni neither fails over nor restarts anything, and stopping it leaves PostgreSQL"
                        + " running; unpaused, stopping it stops PostgreSQL before the primary's shutdown checkpoint"
                        + " reached the replicas, or hands the leader lock to a replica. Failover is off from here"
                        + " until the new cluster is healthy.")
                .on(HostRole.CONTROLLER).role(StepRole.PATRONI_PAUSE).retrySafe()
                .action(new Action.PatroniPause(patroni.rest(), true))
                .undo("resume Patroni (the rollback does)").timeout(Duration.ofMinutes(2)).build());
        for (Replica r : replicas()) {
            steps.add(stop(StepFactory.step("outage.patroni-stop." + r.standby().name(), "Stop Patroni on replica "
                    + r.member()).onStandby(r.standby().name()), r.member(), r.rest()));
        }
        steps.add(stop(step("outage.patroni-stop-leader", "Stop Patroni on the leader " + leader), leader,
                leaderRest));
        return steps;
    }

    private Step stop(StepFactory.Builder b, String member, String rest) {
        return b.why("A paused Patroni that keeps running takes the leader lock again for the server pg_upgrade starts"
                        + " on its data directory, and refuses the new system identifier: it stays stopped for the"
                        + " window. Paused, it leaves PostgreSQL running.")
                .role(StepRole.PATRONI_STOP).retrySafe()
                .action(new Action.PatroniStop(member, rest, stopCommand(), startCommand()))
                .undo("start Patroni again: " + String.join(" ", startCommand())).timeout(Duration.ofMinutes(2))
                .build();
    }

    /**
     * Once pg_upgrade (and the rsync) are done, before the new cluster starts: patroni.yml on every member, and the
     * DCS made to take the new cluster.
     */
    List<Step> configure() {
        List<Step> steps = new ArrayList<>();
        steps.add(config(step("outage.patroni-config-leader", "patroni.yml on the leader " + leader + " names"
                + " PostgreSQL " + inv.target().version()), cmd.newData(), cmd.newBinDir(), cmd.oldData()));
        for (Replica r : replicas()) {
            StandbyCommands sc = new StandbyCommands(inv, r.standby());
            steps.add(config(StepFactory.step("outage.patroni-config." + r.standby().name(), "patroni.yml on"
                    + " replica " + r.member() + " names PostgreSQL " + inv.target().version())
                    .onStandby(r.standby().name()), sc.newData(), sc.newBin(), sc.oldData()));
        }
        String file = patroni.config().toString();
        steps.add(step("outage.patroni-unpause-in-dcs", "The DCS's pause turned off")
                .why("A paused Patroni does not take up a data directory with another system identifier; with no"
                        + " member running, patronictl writes the dynamic configuration directly.")
                .retrySafe().inOutage(true)
                .action(RunCommand.of(List.of("patronictl", "-c", file, "edit-config", "--force", "-s", "pause=false")))
                .timeout(Duration.ofMinutes(1)).build());
        steps.add(step("outage.patroni-forget-old-cluster", "The DCS forgets the old system identifier")
                .why("Patroni refuses a data directory whose system identifier differs from the DCS's initialize key"
                        + " (it exits: \"system ID mismatch\"); pg_upgrade made a new one. Only that key goes: the"
                        + " dynamic configuration stays (and the pause was turned off first, so that Patroni, started"
                        + " on either cluster, writes its identifier there). Run with Patroni's own library and patroni.yml on the leader's"
                        + " host, so that the DCS's address and credentials never leave it. If the way back is taken,"
                        + " Patroni writes the old identifier again when it starts on the old cluster.")
                .retrySafe().inOutage(true)
                .action(RunCommand.of(List.of("python3", "-c", FORGET_INITIALIZE, file)))
                .timeout(Duration.ofMinutes(1)).build());
        return steps;
    }

    private Step config(StepFactory.Builder b, String dataDir, String binDir, String oldDataDir) {
        return b.why("Patroni starts what its postgresql.data_dir and bin_dir name; a setting under"
                        + " postgresql.parameters that PostgreSQL " + inv.target().version() + " no longer has would stop"
                        + " it from starting, so those are removed (renamed where the new name takes the same value)."
                        + " The file as it was is kept beside it: the way back puts it back.")
                .role(StepRole.PATRONI_CONFIG).retrySafe().inOutage(true)
                .action(new Action.PatroniConfig(patroni.config().toString(), dataDir, binDir, oldDataDir,
                        renamedSettings(), removedSettings()))
                .undo("put " + patroni.config() + ".pgmigrate-old back").timeout(Duration.ofMinutes(1)).build();
    }

    /** Settings renamed between the versions whose values keep their meaning: renamed in patroni.yml. */
    private java.util.Map<String, String> renamedSettings() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (io.pgmigrate.pg.SettingChanges.Change c : changes()) {
            if (c.replacement() != null && c.note() == null) {
                out.put(c.name(), c.replacement());
            }
        }
        return out;
    }

    /** Settings gone between the versions (or renamed with another meaning of the value): removed from patroni.yml. */
    private List<String> removedSettings() {
        return changes().stream().filter(c -> c.replacement() == null || c.note() != null)
                .map(io.pgmigrate.pg.SettingChanges.Change::name).sorted().toList();
    }

    private List<io.pgmigrate.pg.SettingChanges.Change> changes() {
        int source = cluster.source().version().major();
        return io.pgmigrate.pg.SettingChanges.ALL.stream().filter(c -> !c.aliased()
                && io.pgmigrate.pg.SettingChanges.between(c.name(), source, inv.target().version()) != null).toList();
    }

    /**
     * Patroni started on the leader: it takes up the upgraded data directory, writes its system identifier to the DCS
     * and promotes it (a new timeline). The step that starts the new cluster.
     */
    Step startLeader(io.pgmigrate.plan.Marker marker, String undo, Duration estimate) {
        return step("outage.start-new", "Start Patroni on the leader " + leader + " (PostgreSQL "
                + inv.target().version() + ")")
                .why("Patroni starts the new cluster from the leader's patroni.yml and promotes it: it leads on a new"
                        + " timeline (Patroni starts a data directory it has not bootstrapped as a standby first).")
                .role(StepRole.START_NEW_CLUSTER).inOutage(true)
                .action(RunCommand.of(startCommand()))
                .completion(new Completion.ServerAnswers(Action.Endpoint.TARGET, inv.target().version()))
                .marker(marker).undo(undo).estimate(estimate, Duration.ofMinutes(11)).build();
    }

    /** The leader leads, read-write, on the new version. */
    Step leads() {
        return step("outage.patroni-leads", leader + " leads on PostgreSQL " + inv.target().version())
                .why("Until Patroni has promoted it, the new cluster is read-only.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.PatroniWait(leader, leaderRest, Action.PatroniWait.State.LEADS,
                        inv.target().version()))
                .estimate(Duration.ofSeconds(15), Duration.ofMinutes(3)).build();
    }

    /** Once clients work: Patroni on each replica, which then streams. */
    List<Step> startReplicas(java.util.function.Function<Standby, Step> streams) {
        List<Step> steps = new ArrayList<>();
        for (Replica r : replicas()) {
            steps.add(StepFactory.step("post.patroni-start." + r.standby().name(), "Start Patroni on replica "
                    + r.member())
                    .why("Patroni writes the replica's standby.signal and primary_conninfo and starts it from its"
                            + " rsynced copy, or clones the new leader (pg_basebackup) into its empty data directory.")
                    .onStandby(r.standby().name()).role(StepRole.START_STANDBY).retrySafe()
                    .action(RunCommand.of(startCommand()))
                    .undo("stop Patroni there: " + String.join(" ", stopCommand()))
                    .timeout(Duration.ofMinutes(2)).build());
        }
        for (Replica r : replicas()) {
            steps.add(streams.apply(r.standby()));
        }
        return steps;
    }

    /** The pause as it was found: on again when the cluster was paused when planned. */
    List<Step> pauseAsFound() {
        if (!facts.paused()) {
            return List.of();
        }
        return List.of(step("post.patroni-pause-again", "Pause Patroni again, as it was found")
                .why("The cluster was paused when the plan was made (see patroni-paused): it is left paused.")
                .on(HostRole.CONTROLLER).retrySafe()
                .action(new Action.PatroniPause(patroni.rest(), true)).timeout(Duration.ofMinutes(2)).build());
    }

    /**
     * Deletes the DCS's initialize key of the cluster patroni.yml (argv[1]) names, with Patroni's own modules, as
     * Patroni does itself when a bootstrap fails. Prints what it did.
     */
    static final String FORGET_INITIALIZE = String.join("\n",
            "import sys",
            "from patroni.config import Config",
            "from patroni.dcs import get_dcs",
            "dcs = get_dcs(Config(sys.argv[1]))",
            "cluster = dcs.get_cluster()",
            "if cluster.initialize is None:",
            "    print('no initialize key')",
            "elif dcs.cancel_initialization():",
            "    print('deleted the initialize key ' + str(cluster.initialize))",
            "else:",
            "    sys.exit('the DCS refused to delete the initialize key')");
}
