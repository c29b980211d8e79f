package io.pgmigrate.execute;

import io.pgmigrate.inspect.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.planner.UpgradeCommands;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What running a step needs: the plan, the inventory, the way to the database host and its servers,
 * the commands for rolling back, where the baseline lives, and the console.
 */
public record ExecutionContext(Plan plan, Inventory inventory, SourceFacts facts, ClusterAccess source,
                               Path stateDir, PrintWriter out) {

    public HostShell shell() {
        return source.shell();
    }

    public UpgradeCommands commands() {
        return new UpgradeCommands(inventory, facts);
    }

    /** The old cluster before the switch and the new one after: both answer at the inventory's pg endpoint. */
    public SqlSession sql(Endpoint endpoint, String database) {
        if (endpoint == Endpoint.PGBOUNCER) {
            Inventory.Pgbouncer b = inventory.cutover().pgbouncer();
            return JdbcSqlSession.openPgbouncerConsole(b.host(), b.port(), b.adminUser());
        }
        return source.connect(database);
    }

    /** Where the host keeps the state of detached steps (pid, output, exit status): in the plan's work directory. */
    public String stepStateDir() {
        return commands().workDir() + "/steps";
    }

    /** The detached program of a step that is not retry-safe: it survives a dropped SSH connection or a killed pgmigrate. */
    public io.pgmigrate.transport.DetachedCommand detached(String stepId) {
        return io.pgmigrate.transport.DetachedCommand.on(shell(), stepStateDir(), stepId);
    }

    public Path baselineFile() {
        return stateDir.resolve(plan.name() + ".baseline.json");
    }
}
