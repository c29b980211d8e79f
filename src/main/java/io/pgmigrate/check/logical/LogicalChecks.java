package io.pgmigrate.check.logical;

import io.pgmigrate.check.PreCheck;

import java.util.List;

/**
 * The pre-flight of the logical-replication strategy (blue/green), run only when the inventory says
 * {@code strategy: logical}, before anything exists on blue: every probe is a read-only SELECT, so no
 * publication, slot or subscription is ever created to find out.
 */
public final class LogicalChecks {
    private LogicalChecks() {
    }

    public static List<PreCheck> all() {
        return List.of(
                // what replication itself needs
                new WalLevel(),
                new SlotsAndSenders(),
                new ApplyWorkers(),
                new ReplicaIdentity(),
                // what it does not carry, and how the plan carries it instead
                new LargeObjects(),
                new UnloggedTables(),
                new MaterializedViews(),
                new NotValidChecks(),
                new ForeignTables(),
                new NonHeapTables(),
                new Sequences(),
                // what stands in the way of a slot, or fills blue's disk while it exists
                new OtherConsumersSlots(),
                new LongRunningTransactions(),
                new PreparedTransactions(),
                new WalHeadroom(),
                // what green must be able to restore
                new ExtensionsOnGreen(),
                new RolePasswords(),
                // how green reaches blue, and how clients get to green
                new BlueReachable(),
                new ClientSwitch(),
                new GreenStandbys());
    }
}
