package io.pgmigrate.check.cluster;

import io.pgmigrate.check.PreCheck;

import java.util.List;

/** Checks over the inspected facts of the clusters, their hosts and the inventory (no SQL of their own). */
public final class ClusterChecks {
    private ClusterChecks() {
    }

    public static List<PreCheck> all() {
        return List.of(
                new InventoryMatchesServer(),
                new SuperuserCheck(),
                new TargetDataDir(),
                new SwapMode(),
                new SameFileSystem(),
                new DiskSpace(),
                new DataChecksums(),
                new PreparedTransactions(),
                new Replication(),
                new StandbysListed(),
                new StandbyReadiness(),
                new SynchronousStandbys(),
                new HaManagers(),
                new PatroniExecution(),
                new PatroniLeader(),
                new PatroniMembers(),
                new PatroniPendingRestart(),
                new PatroniPaused(),
                new PatroniVersion(),
                new PatroniDcsSettings(),
                new ExtensionsOnTarget(),
                new SettingsCheck(),
                new ServerVerification(),
                new FingerprintsAvailable(),
                new SchemaRehearsalCheck());
    }
}
