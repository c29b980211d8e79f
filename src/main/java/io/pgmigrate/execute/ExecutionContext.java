package io.pgmigrate.execute;

import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.planner.inplace.UpgradeCommands;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.SqlSession;

import java.io.PrintWriter;
import java.util.List;

/**
 * What running a step needs: the plan, the inventory, the way to the database host and its servers,
 * the commands for rolling back, where the baseline lives, and the console.
 *
 * @param target    the way to green while it runs beside blue (strategy logical); null in place, where the old
 *                  and the new cluster answer at the same endpoint and TARGET means the source's endpoint
 * @param execution the id of the execution (from the journal): what it leaves on a host carries it; null for a
 *                  dry run
 * @param clock     for the journal's times and the steps' durations
 * @param standbys  the way to each of the inventory's standbys, by its name (issue #15)
 */
public record ExecutionContext(Plan plan, Inventory inventory, SourceFacts facts, ClusterAccess source,
                               ClusterAccess target, ExecutionFiles files, PrintWriter out, String execution,
                               java.time.Clock clock, java.util.function.Function<String, ClusterAccess> standbys) {

    /** Without standbys. */
    public ExecutionContext(Plan plan, Inventory inventory, SourceFacts facts, ClusterAccess source,
                            ClusterAccess target, ExecutionFiles files, PrintWriter out, String execution,
                            java.time.Clock clock) {
        this(plan, inventory, facts, source, target, files, out, execution, clock, name -> {
            throw new IllegalStateException("no way to standby " + name + " was given");
        });
    }

    /** In place: one endpoint for the old and the new cluster. */
    public ExecutionContext(Plan plan, Inventory inventory, SourceFacts facts, ClusterAccess source,
                            ExecutionFiles files, PrintWriter out, String execution) {
        this(plan, inventory, facts, source, null, files, out, execution, java.time.Clock.systemUTC());
    }

    public HostShell shell() {
        return source.shell();
    }

    /** The shell of the host the step runs on: its standby's for a step on a standby's host. */
    public HostShell shell(io.pgmigrate.plan.Step step) {
        return step.host() == HostRole.STANDBY ? standby(step.standby()).shell() : shell(step.host());
    }

    /** The way to the inventory's standby of this name: its host's shell and its server. */
    public ClusterAccess standby(String name) {
        return standbys.apply(name);
    }

    /** The commands and paths of the inventory's standby of this name. */
    public io.pgmigrate.planner.inplace.StandbyCommands standbyCommands(String name) {
        return new io.pgmigrate.planner.inplace.StandbyCommands(inventory, inventory.standbys().stream()
                .filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new StepFailure("the plan names standby " + name + ", which the inventory does"
                        + " not list; give the inventory the plan was made from")));
    }

    /** The detached program of a step, on the host it runs on. */
    public io.pgmigrate.transport.DetachedCommand detached(io.pgmigrate.plan.Step step) {
        return io.pgmigrate.transport.DetachedCommand.on(shell(step), stepStateDir(step), step.id());
    }

    /** The directory a step's program runs in on its host (see {@link #workDir(HostRole)}); a standby's own. */
    public String workDir(io.pgmigrate.plan.Step step) {
        return step.host() == HostRole.STANDBY ? standbyWorkDir(step.standby()) : workDir(step.host());
    }

    /** A standby's work directory on its host: the source's standby's, or one of green's (blue/green). */
    public String standbyWorkDir(String name) {
        return standbyWorkDir(inventory, name);
    }

    /** The work directory on the host of the inventory's standby of this name (the source's or green's). */
    public static String standbyWorkDir(Inventory inventory, String name) {
        Inventory.GreenStandby green = io.pgmigrate.planner.bluegreen.GreenStandbyCommands.find(inventory, name);
        if (green != null) {
            return new io.pgmigrate.planner.bluegreen.GreenStandbyCommands(inventory, green).workDir();
        }
        return new io.pgmigrate.planner.inplace.StandbyCommands(inventory, inventory.standbys().stream()
                .filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new StepFailure("the plan names standby " + name + ", which the inventory does"
                        + " not list; give the inventory the plan was made from"))).workDir();
    }

    /** Where the step's host keeps this execution's detached programs (see {@link #stepStateDir(HostRole)}). */
    public String stepStateDir(io.pgmigrate.plan.Step step) {
        if (step.host() != HostRole.STANDBY) {
            return stepStateDir(step.host());
        }
        return stepsUnder(standbyWorkDir(step.standby()));
    }

    /**
     * The shell of the host a step runs on. In a logical plan: green's host for TARGET, this machine for CONTROLLER
     * (the switch command). In place (as before): the source's host for every step.
     */
    public HostShell shell(HostRole host) {
        if (host == HostRole.STANDBY) {
            throw new IllegalArgumentException("a standby's host is named by the step: use shell(step)");
        }
        if (target == null || host == HostRole.SOURCE) {
            return source.shell();
        }
        return host == HostRole.TARGET ? target.shell() : new io.pgmigrate.transport.LocalShell(null);
    }

    /** The cluster an endpoint names: green for TARGET in a logical plan, else the source's endpoint. */
    public ClusterAccess access(Endpoint endpoint) {
        return endpoint == Endpoint.TARGET && target != null ? target : source;
    }

    public UpgradeCommands commands() {
        return new UpgradeCommands(inventory, facts);
    }

    /**
     * In place, the old cluster before the switch and the new one after: both answer at the inventory's pg endpoint.
     * Blue/green: SOURCE is blue, TARGET is green ({@link io.pgmigrate.inventory.TargetEndpoint}).
     */
    public SqlSession sql(Endpoint endpoint, String database) {
        return access(endpoint).connect(database);
    }

    /**
     * A session bounded by a step's limit: its statements are cancelled in the server after {@code limit}, and a
     * server that stops answering (a partition, a frozen host) fails it within the limit and a few seconds, instead of
     * hanging the step while clients wait.
     */
    public SqlSession sql(Endpoint endpoint, String database, java.time.Duration limit) {
        return access(endpoint).connect(database, limit);
    }

    /** The major version of the server answering at the cluster's endpoint now; empty when none answers. */
    public java.util.OptionalInt answeringMajor() {
        try (SqlSession s = source.connect(inventory.source().pg().database())) {
            return java.util.OptionalInt.of((int) (s.query("SHOW server_version_num").get(0)
                    .getLong("server_version_num") / 10000));
        } catch (io.pgmigrate.transport.TransportException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** psql on the database host running one admin command (PAUSE, RESUME) on pgbouncer's console. */
    public List<String> pgbouncerCommand(String command) {
        Inventory.Pgbouncer b = inventory.cutover().pgbouncer();
        return List.of(inventory.target().binDir() + "/psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                "--host=" + b.host(), "--port=" + b.port(), "--username=" + b.adminUser(), "--dbname=pgbouncer",
                "--command=" + command);
    }

    /**
     * Where the host keeps the state of this execution's detached steps (pid, output, exit status): in the plan's work
     * directory, under the execution's id, so that no later execution attaches to them or takes them as proof.
     */
    public String stepStateDir() {
        return stepsUnder(commands().workDir());
    }

    /** A work directory's place for this execution's detached programs. */
    private String stepsUnder(String workDir) {
        return workDir + "/steps" + (execution == null ? "" : "/" + execution);
    }

    /** The detached program of a step that is not retry-safe: it survives a dropped SSH connection or a killed pgmigrate. */
    public io.pgmigrate.transport.DetachedCommand detached(String stepId) {
        return io.pgmigrate.transport.DetachedCommand.on(shell(), stepStateDir(), stepId);
    }

    /** The detached program of a step on the host it runs on (green's for TARGET in a logical plan). */
    public io.pgmigrate.transport.DetachedCommand detached(String stepId, HostRole host) {
        return io.pgmigrate.transport.DetachedCommand.on(shell(host), stepStateDir(host), stepId);
    }

    /**
     * The directory a step's program runs in on its host: the plan's work directory, a path on the database hosts; a
     * logical plan's CONTROLLER steps (the switch command) run on this machine, in their state directory beside the
     * plan, since the work directory exists here only when green's host happens to be this machine.
     */
    public String workDir(HostRole host) {
        return target != null && host == HostRole.CONTROLLER ? stepStateDir(host) : commands().workDir();
    }

    /**
     * Where the host a step runs on keeps its detached programs' state: a logical plan's CONTROLLER steps run on this
     * machine, as the user running pgmigrate, so theirs lies beside the plan ({@code NAME.steps/EXECUTION}), never in
     * the work directory's path, which on this machine may be the database host's (another user's) own.
     */
    public String stepStateDir(HostRole host) {
        if (target == null || host != HostRole.CONTROLLER) {
            return stepStateDir();
        }
        String dir = files.journal().resolveSibling(plan.name() + ".steps").toString();
        return dir + (execution == null ? "" : "/" + execution);
    }
}
