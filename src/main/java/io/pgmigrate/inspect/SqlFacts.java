package io.pgmigrate.inspect;

import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.facts.SourceFacts.PreparedTransactionFacts;
import io.pgmigrate.facts.SourceFacts.SlotFacts;
import io.pgmigrate.facts.SourceFacts.StandbyFacts;
import io.pgmigrate.facts.SourceFacts.TablespaceFacts;
import io.pgmigrate.pg.PgVersion;

import java.util.List;
import java.util.Map;

/** What {@link SourceSqlReader} learned over SQL; tablespaces still without host facts. */
record SqlFacts(PgVersion version, String systemIdentifier, boolean dataChecksums, String dataDirectory,
                String configFile, String hbaFile, String connectedUser, boolean superuser,
                String bootstrapSuperuser, boolean inRecovery, List<DatabaseFacts> databases,
                List<TablespaceFacts> tablespaces, List<SlotFacts> slots, List<StandbyFacts> standbys,
                List<PreparedTransactionFacts> prepared, Map<String, String> settings,
                Map<String, String> nonDefaultSettings, List<String> settingsNotRecorded) {

    /** Databases pgmigrate connects to (those that allow connections), in name order. */
    List<String> connectableDatabases() {
        return databases.stream().filter(DatabaseFacts::allowConnections).map(DatabaseFacts::name).toList();
    }
}
