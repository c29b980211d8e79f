package io.pgmigrate.inspect;

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
        List<String> loadableLibraries,
        ControlData controlData,
        HostFacts host,
        Map<String, List<ProbeRow>> probes) {

    public long totalSizeBytes() {
        return databases.stream().mapToLong(DatabaseFacts::sizeBytes).sum();
    }

    public long totalRelations() {
        return databases.stream().mapToLong(DatabaseFacts::relationCount).sum();
    }

    public List<ProbeRow> probe(String id) {
        return probes.getOrDefault(id, List.of());
    }

    public record DatabaseFacts(String name, String encoding, String collate, String ctype,
                                String localeProvider, String icuLocale, boolean allowConnections,
                                int connectionLimit, boolean template, long sizeBytes, long relationCount,
                                List<ExtensionFacts> extensions) {
    }

    public record ExtensionFacts(String name, String version, String schema) {
    }

    public record TablespaceFacts(String name, String location, long sizeBytes) {
    }

    public record SlotFacts(String name, String type, String plugin, String database, boolean active,
                            String walStatus) {
    }

    public record StandbyFacts(String applicationName, String clientAddress, String state, String syncState) {
    }

    public record PreparedTransactionFacts(String gid, String database, String owner, String prepared) {
    }
}
