package io.pgmigrate.facts;

import io.pgmigrate.pg.PgVersion;

import java.util.List;

/**
 * A standby the inventory lists, as read on its server, on its host and in the source's {@code pg_stat_replication}
 * (issue #15). Read-only, like all facts.
 *
 * @param name             the inventory's name for it
 * @param version          its server's version
 * @param systemIdentifier of its control file: a standby of the source has the source's
 * @param inRecovery       pg_is_in_recovery()
 * @param dataDirectory    SHOW data_directory
 * @param configFile       SHOW config_file
 * @param hbaFile          SHOW hba_file
 * @param replayLsn        pg_last_wal_replay_lsn() when read
 * @param receiver         its WAL receiver, null when none runs
 * @param sender           the source's WAL sender that serves it, null when none could be matched to it
 * @param ambiguous        more than one of the source's WAL senders could be this standby's (same application
 *                         name, same address): none is taken as its
 * @param hostAddresses    the addresses of its host (from the host itself, loopback included)
 * @param oldDataDir       its data directory's host facts (null for a standby listed with rebuild: false: its host is not read)
 * @param target           the new version's binaries on its host, their extensions, and its new data directory (null
 *                         with rebuild: false)
 * @param primaryReachable null when its host opened a replication connection to the source with the WAL receiver's
 *                         connection settings (what re-creating it with pg_basebackup needs), else libpq's error
 * @param rsyncProblem     link mode only: null when the source's host has rsync and reaches the standby's host over
 *                         SSH non-interactively (host key known) as the owner of its data directory, where rsync
 *                         runs too; else what failed. Null as well when not asked (other modes)
 * @param settings         settings made in its configuration (as the source's nonDefaultSettings): what it keeps on
 *                         the new version, over the primary's
 */
public record StandbyFacts(String name, PgVersion version, String systemIdentifier, boolean inRecovery,
                           String dataDirectory, String configFile, String hbaFile, String replayLsn,
                           Receiver receiver, Sender sender, boolean ambiguous, List<String> hostAddresses,
                           HostFacts oldDataDir, TargetFacts target, String primaryReachable,
                           String rsyncProblem, java.util.Map<String, String> settings) {
    public StandbyFacts {
        settings = settings == null ? java.util.Map.of() : java.util.Map.copyOf(settings);
    }

    /**
     * The standby's WAL receiver (pg_stat_wal_receiver).
     *
     * @param conninfo        its connection string with the password left out (the server shows it masked)
     * @param applicationName the name it gives the source: application_name of conninfo, else cluster_name, else
     *                        walreceiver
     */
    public record Receiver(String status, String senderHost, int senderPort, String slotName, String conninfo,
                           String applicationName) {
    }

    /**
     * The source's WAL sender serving the standby (pg_stat_replication).
     *
     * @param replayLagBytes the source's current WAL position minus the standby's replay position, as the sender
     *                       saw it
     */
    public record Sender(String applicationName, String clientAddress, String state, String syncState,
                         int syncPriority, long replayLagBytes) {
    }

    /** Whether its configuration files lie inside its data directory (they are then carried with it). */
    public boolean configInDataDirectory() {
        return configFile != null && hbaFile != null && dataDirectory != null
                && configFile.startsWith(dataDirectory + "/") && hbaFile.startsWith(dataDirectory + "/");
    }
}
