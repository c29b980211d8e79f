package io.pgmigrate.facts;

import io.pgmigrate.pg.ControlData;
import io.pgmigrate.pg.PgVersion;

import java.util.List;
import java.util.Map;

/**
 * What inspection learned about the running source cluster, over SQL and on its host.
 *
 * @param binariesVersion   {@code postgres --version} of the inventory's source binDir
 * @param settings          relevant settings (name → current value in the server's own units)
 * @param nonDefaultSettings settings whose source is the configuration file or ALTER SYSTEM (to carry over)
 * @param probes            results of the pre-checks' SQL probes, by probe id
 * @param inRecovery        whether the server is a standby (pg_is_in_recovery())
 * @param dataDirectoryRealPath the server's data_directory with symbolic links resolved on the source host
 *                          (null when it could not be resolved, e.g. data_directory hidden from a non-superuser)
 * @param settingsNotRecorded names of settings made in the configuration that were left out of nonDefaultSettings
 *                          because their kind of value is not on the allowlist of what pgmigrate records (free text
 *                          that could hold a secret: commands, connection strings, custom settings); names only
 * @param walDir            host facts of the WAL directory (source.dataDir's pg_wal, followed when it is a symbolic
 *                          link to another file system): where a replication slot's retained WAL takes space; read
 *                          for the logical strategy only, null otherwise
 * @param haManagers        the high-availability managers of the source: {@code patroni} (it wrote the server's
 *                          postgresql.conf), {@code pg_autoctl} (an ancestor of the postmaster), {@code repmgrd}
 *                          (running on the host); empty when none
 */
public record SourceFacts(
        PgVersion version,
        PgVersion binariesVersion,
        String systemIdentifier,
        boolean dataChecksums,
        String dataDirectory,
        String configFile,
        String hbaFile,
        String connectedUser,
        boolean connectedAsSuperuser,
        String bootstrapSuperuser,
        List<DatabaseFacts> databases,
        List<TablespaceFacts> tablespaces,
        List<SlotFacts> replicationSlots,
        List<StandbyFacts> standbys,
        List<PreparedTransactionFacts> preparedTransactions,
        Map<String, String> settings,
        Map<String, String> nonDefaultSettings,
        ControlData controlData,
        HostFacts host,
        Map<String, List<ProbeRow>> probes,
        boolean inRecovery,
        String dataDirectoryRealPath,
        HostFacts walDir,
        List<String> settingsNotRecorded,
        List<String> haManagers) {

    public SourceFacts {
        settingsNotRecorded = settingsNotRecorded == null ? List.of() : List.copyOf(settingsNotRecorded);
        haManagers = haManagers == null ? List.of() : List.copyOf(haManagers);
    }

    /** Facts without the host's HA managers (as recorded before pgmigrate looked for them). */
    public SourceFacts(PgVersion version,
                       PgVersion binariesVersion,
                       String systemIdentifier,
                       boolean dataChecksums,
                       String dataDirectory,
                       String configFile,
                       String hbaFile,
                       String connectedUser,
                       boolean connectedAsSuperuser,
                       String bootstrapSuperuser,
                       List<DatabaseFacts> databases,
                       List<TablespaceFacts> tablespaces,
                       List<SlotFacts> replicationSlots,
                       List<StandbyFacts> standbys,
                       List<PreparedTransactionFacts> preparedTransactions,
                       Map<String, String> settings,
                       Map<String, String> nonDefaultSettings,
                       ControlData controlData,
                       HostFacts host,
                       Map<String, List<ProbeRow>> probes,
                       boolean inRecovery,
                       String dataDirectoryRealPath,
                       HostFacts walDir,
                       List<String> settingsNotRecorded) {
        this(version, binariesVersion, systemIdentifier, dataChecksums, dataDirectory, configFile, hbaFile, connectedUser, connectedAsSuperuser, bootstrapSuperuser, databases, tablespaces, replicationSlots, standbys, preparedTransactions, settings, nonDefaultSettings, controlData, host, probes, inRecovery, dataDirectoryRealPath, walDir, settingsNotRecorded, List.of());
    }


    public long totalSizeBytes() {
        return databases.stream().mapToLong(DatabaseFacts::sizeBytes).sum();
    }

    public long totalRelations() {
        return databases.stream().mapToLong(DatabaseFacts::relationCount).sum();
    }

    public List<ProbeRow> probe(String id) {
        return probes.getOrDefault(id, List.of());
    }

    /**
     * One database.
     *
     * @param localeProvider   libc, icu or builtin
     * @param icuLocale        daticulocale (15–16) or datlocale (17+), null for libc
     * @param relationCount    user relations with storage (tables, indexes, TOAST, sequences, materialized views):
     *                         the files pg_upgrade transfers; 0 when the database does not allow connections
     * @param catalogSizeBytes size of the system catalogs (pg_upgrade rebuilds them in the new cluster)
     */
    public record DatabaseFacts(String name, String encoding, String collate, String ctype,
                                String localeProvider, String icuLocale, boolean allowConnections,
                                int connectionLimit, boolean template, long sizeBytes, long relationCount,
                                List<ExtensionFacts> extensions, long catalogSizeBytes) {
    }

    public record ExtensionFacts(String name, String version, String schema) {
    }

    /**
     * @param location empty for pg_default and pg_global (inside the data directory)
     * @param host     host facts of the location, null for the built-in tablespaces
     */
    public record TablespaceFacts(String name, String location, long sizeBytes, HostFacts host) {
    }

    /**
     * @param walStatus         pg_replication_slots.wal_status (13+), null before
     * @param retainedWalBytes  WAL the slot holds back (current LSN − restart_lsn), -1 when unknown
     * @param unconfirmedBytes  for logical slots: current LSN − confirmed_flush_lsn (not yet consumed), -1 when unknown
     */
    public record SlotFacts(String name, String type, String plugin, String database, boolean active,
                            String walStatus, long retainedWalBytes, long unconfirmedBytes) {
    }

    public record StandbyFacts(String applicationName, String clientAddress, String state, String syncState) {
    }

    public record PreparedTransactionFacts(String gid, String database, String owner, String prepared) {
    }
}
