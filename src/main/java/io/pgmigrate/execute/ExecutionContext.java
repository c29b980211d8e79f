package io.pgmigrate.execute;

import io.pgmigrate.inspect.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.planner.UpgradeCommands;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.SqlSession;

import java.io.PrintWriter;
import java.util.List;

/**
 * What running a step needs: the plan, the inventory, the way to the database host and its servers,
 * the commands for rolling back, where the baseline lives, and the console.
 */
public record ExecutionContext(Plan plan, Inventory inventory, SourceFacts facts, ClusterAccess source,
                               ExecutionFiles files, PrintWriter out) {

    public HostShell shell() {
        return source.shell();
    }

    public UpgradeCommands commands() {
        return new UpgradeCommands(inventory, facts);
    }

    /** The old cluster before the switch and the new one after: both answer at the inventory's pg endpoint. */
    public SqlSession sql(Endpoint endpoint, String database) {
        if (endpoint == Endpoint.PGBOUNCER) {
            throw new IllegalArgumentException("pgbouncer's admin console is reached with psql: pgbouncerCommand");
        }
        return source.connect(database);
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

    /** Where the host keeps the state of detached steps (pid, output, exit status): in the plan's work directory. */
    public String stepStateDir() {
        return commands().workDir() + "/steps";
    }

    /** The detached program of a step that is not retry-safe: it survives a dropped SSH connection or a killed pgmigrate. */
    public io.pgmigrate.transport.DetachedCommand detached(String stepId) {
        return io.pgmigrate.transport.DetachedCommand.on(shell(), stepStateDir(), stepId);
    }
}
