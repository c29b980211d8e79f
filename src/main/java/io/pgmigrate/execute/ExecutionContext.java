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

    public Path baselineFile() {
        return stateDir.resolve(plan.name() + ".baseline.json");
    }
}
