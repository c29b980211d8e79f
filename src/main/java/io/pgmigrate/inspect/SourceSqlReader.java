package io.pgmigrate.inspect;

import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.facts.SourceFacts.ExtensionFacts;
import io.pgmigrate.facts.SourceFacts.PreparedTransactionFacts;
import io.pgmigrate.facts.SourceFacts.SlotFacts;
import io.pgmigrate.facts.SourceFacts.StandbyFacts;
import io.pgmigrate.facts.SourceFacts.TablespaceFacts;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads the source's facts over SQL, read-only: cluster-wide catalogs in the maintenance database,
 * then one session per database that allows connections (aggregates only, never a query per table).
 */
final class SourceSqlReader {
    /** Settings the plan and the checks look at (their current values, whatever their source). */
    static final List<String> RELEVANT_SETTINGS = List.of(
            "archive_mode", "block_size", "data_checksums", "DateStyle", "default_toast_compression",
            "hot_standby", "lc_collate", "lc_ctype", "lc_messages", "lc_monetary", "lc_numeric", "lc_time",
            "listen_addresses", "local_preload_libraries", "max_active_replication_origins", "max_connections",
            "max_locks_per_transaction", "max_logical_replication_workers", "max_pred_locks_per_transaction",
            "max_prepared_transactions", "max_replication_slots", "max_sync_workers_per_subscription",
            "max_wal_senders", "max_wal_size", "max_worker_processes", "password_encryption", "port",
            "server_encoding", "session_preload_libraries", "shared_buffers", "shared_preload_libraries",
            "superuser_reserved_connections", "TimeZone", "track_commit_timestamp", "unix_socket_directories",
            "wal_block_size", "wal_level", "wal_segment_size");

    private static final int FIRST_NORMAL_OID = 16384;

    private final ClusterAccess access;
    private final java.util.function.Consumer<PgVersion> versionGate;

    /** @param versionGate sees the server's version before anything else is read (and may refuse it) */
    SourceSqlReader(ClusterAccess access, java.util.function.Consumer<PgVersion> versionGate) {
        this.access = access;
        this.versionGate = versionGate;
    }

    SqlFacts read() {
        String maintenance = access.maintenanceDatabase();
        try (SqlSession s = open(maintenance)) {
            SqlRow id = s.query(IDENTITY_SQL).get(0);
            PgVersion version = PgVersion.fromNum(Integer.parseInt(id.get("version_num")));
            versionGate.accept(version);
            boolean superuser = id.getBool("superuser");
            List<DatabaseFacts> databases = new ArrayList<>();
            for (SqlRow r : s.query(databasesSql(version, superuser))) {
                databases.add(database(r));
            }
            databases.replaceAll(d -> d.allowConnections() ? withPerDatabaseFacts(d) : d);
            Configured configured = configuredSettings(s);
            return new SqlFacts(version, systemIdentifier(s, version, superuser), "on".equals(id.get("data_checksums")),
                    id.get("data_directory"), id.get("config_file"), id.get("hba_file"), id.get("usr"), superuser,
                    id.get("bootstrap"), id.getBool("in_recovery"), List.copyOf(databases),
                    tablespaces(s, superuser), slots(s, version), standbys(s), prepared(s), relevantSettings(s),
                    configured.recorded(), configured.left());
        }
    }

    private SqlSession open(String database) {
        SqlSession s = access.connect(database);
        try {
            ProbeRunner.readOnly(s);
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static final String IDENTITY_SQL = """
            SELECT pg_catalog.current_setting('server_version_num') AS version_num,
                   current_user AS usr,
                   coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), false) AS superuser,
                   (SELECT rolname FROM pg_catalog.pg_roles WHERE oid = 10) AS bootstrap,
                   pg_catalog.pg_is_in_recovery() AS in_recovery,
                   (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'data_checksums') AS data_checksums,
                   (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'data_directory') AS data_directory,
                   (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'config_file') AS config_file,
                   (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'hba_file') AS hba_file""";

    /** pg_control_system() exists from 9.6 and may be denied to non-superusers: then only pg_controldata tells. */
    private static String systemIdentifier(SqlSession s, PgVersion version, boolean superuser) {
        if (!(PgVersion.scaled(version) >= 906)) {
            return null;
        }
        try {
            return s.query("SELECT system_identifier::text AS id FROM pg_catalog.pg_control_system()").get(0).get("id");
        } catch (TransportException e) {
            if (superuser) {
                throw e;
            }
            return null;
        }
    }

    static String databasesSql(PgVersion version, boolean superuser) {
        boolean v15 = (PgVersion.scaled(version) >= 1500);
        String provider = v15
                ? "CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' END"
                : "'libc'";
        String icu = (PgVersion.scaled(version) >= 1700) ? "d.datlocale" : v15 ? "d.daticulocale" : "NULL::text";
        return """
                SELECT d.datname, pg_catalog.pg_encoding_to_char(d.encoding) AS encoding, d.datcollate, d.datctype,
                       %s AS provider, %s AS icu_locale, d.datallowconn, d.datconnlimit, d.datistemplate,
                       CASE WHEN pg_catalog.has_database_privilege(d.oid, 'CONNECT') OR su.rolsuper
                            THEN pg_catalog.pg_database_size(d.oid) - %s
                       END AS size
                FROM pg_catalog.pg_database d,
                     (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) su
                ORDER BY d.datname""".formatted(provider, icu, superuser
                ? "coalesce((pg_catalog.pg_stat_file('base/' || d.oid || '/pg_internal.init', true)).size, 0)"
                : "0");
    }

    /**
     * A database's size is pg_database_size without the relcache init file, which any new connection may
     * write: otherwise two inspections of an idle cluster (ours included) would differ.
     */
    private static DatabaseFacts database(SqlRow r) {
        return new DatabaseFacts(r.get("datname"), r.get("encoding"), r.get("datcollate"), r.get("datctype"),
                r.get("provider"), r.get("icu_locale"), r.getBool("datallowconn"),
                Integer.parseInt(r.get("datconnlimit")), r.getBool("datistemplate"), r.getLong("size"), 0,
                List.of(), 0);
    }

    private static final String PER_DATABASE_SQL = """
            SELECT (SELECT count(*) FROM pg_catalog.pg_class
                     WHERE oid >= %1$d AND relkind IN ('r', 'i', 'S', 't', 'm')) AS relations,
                   (SELECT coalesce(sum(pg_catalog.pg_relation_size(oid)), 0) FROM pg_catalog.pg_class
                     WHERE oid < %1$d AND NOT relisshared AND relkind IN ('r', 'i', 't')) AS catalog_bytes
            """.formatted(FIRST_NORMAL_OID);

    private static final String EXTENSIONS_SQL = """
            SELECT e.extname, e.extversion, n.nspname
            FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
            ORDER BY e.extname""";

    private DatabaseFacts withPerDatabaseFacts(DatabaseFacts d) {
        try (SqlSession s = open(d.name())) {
            SqlRow counts = s.query(PER_DATABASE_SQL).get(0);
            List<ExtensionFacts> extensions = s.query(EXTENSIONS_SQL).stream()
                    .map(r -> new ExtensionFacts(r.get("extname"), r.get("extversion"), r.get("nspname"))).toList();
            return new DatabaseFacts(d.name(), d.encoding(), d.collate(), d.ctype(), d.localeProvider(),
                    d.icuLocale(), true, d.connectionLimit(), d.template(), d.sizeBytes(), counts.getLong("relations"),
                    extensions, counts.getLong("catalog_bytes"));
        }
    }

    private static List<TablespaceFacts> tablespaces(SqlSession s, boolean superuser) {
        String size = superuser ? "pg_catalog.pg_tablespace_size(t.oid)" : "NULL::bigint";
        return s.query("""
                SELECT t.spcname, pg_catalog.pg_tablespace_location(t.oid) AS location, %s AS size
                FROM pg_catalog.pg_tablespace t ORDER BY t.spcname""".formatted(size)).stream()
                .map(r -> new TablespaceFacts(r.get("spcname"), r.get("location"), r.getLong("size"), null))
                .toList();
    }

    static String slotsSql(PgVersion version) {
        if (!(PgVersion.scaled(version) >= 904)) {
            return null;
        }
        boolean v10 = (PgVersion.scaled(version) >= 1000);
        String current = v10
                ? "CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn() ELSE pg_catalog.pg_current_wal_lsn() END"
                : "CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_xlog_replay_location() ELSE pg_catalog.pg_current_xlog_location() END";
        String diff = v10 ? "pg_catalog.pg_wal_lsn_diff" : "pg_catalog.pg_xlog_location_diff";
        String confirmed = (PgVersion.scaled(version) >= 906)
                ? diff + "(" + current + ", s.confirmed_flush_lsn)::bigint" : "NULL::bigint";
        String walStatus = (PgVersion.scaled(version) >= 1300) ? "s.wal_status" : "NULL::text";
        return """
                SELECT s.slot_name, s.slot_type, s.plugin, s.database, s.active, %s AS wal_status,
                       %s(%s, s.restart_lsn)::bigint AS retained, %s AS unconfirmed
                FROM pg_catalog.pg_replication_slots s ORDER BY s.slot_name"""
                .formatted(walStatus, diff, current, confirmed);
    }

    private static List<SlotFacts> slots(SqlSession s, PgVersion version) {
        String sql = slotsSql(version);
        if (sql == null) {
            return List.of();
        }
        return s.query(sql).stream().map(r -> new SlotFacts(r.get("slot_name"), r.get("slot_type"), r.get("plugin"),
                r.get("database"), r.getBool("active"), r.get("wal_status"), orMinusOne(r.get("retained")),
                orMinusOne(r.get("unconfirmed")))).toList();
    }

    private static long orMinusOne(String v) {
        return v == null ? -1 : Long.parseLong(v);
    }

    private static List<StandbyFacts> standbys(SqlSession s) {
        return s.query("""
                SELECT application_name, pg_catalog.host(client_addr) AS client_addr, state, sync_state
                FROM pg_catalog.pg_stat_replication ORDER BY application_name, client_addr""").stream()
                .map(r -> new StandbyFacts(r.get("application_name"), r.get("client_addr"), r.get("state"),
                        r.get("sync_state"))).toList();
    }

    private static List<PreparedTransactionFacts> prepared(SqlSession s) {
        return s.query("""
                SELECT gid, database, owner, prepared::text AS prepared
                FROM pg_catalog.pg_prepared_xacts ORDER BY prepared, gid""").stream()
                .map(r -> new PreparedTransactionFacts(r.get("gid"), r.get("database"), r.get("owner"),
                        r.get("prepared"))).toList();
    }

    private static Map<String, String> relevantSettings(SqlSession s) {
        String names = RELEVANT_SETTINGS.stream().map(SqlIdentifiers::literal).collect(Collectors.joining(", "));
        Map<String, String> map = new TreeMap<>();
        for (SqlRow r : s.query("SELECT name, setting FROM pg_catalog.pg_settings WHERE name IN (" + names + ")")) {
            map.put(r.get("name"), r.get("setting") == null ? "" : r.get("setting"));
        }
        return map;
    }

    /** Configured settings on the allowlist ({@link RecordedSettings}), and the names of those left out. */
    record Configured(Map<String, String> recorded, List<String> left) {
    }

    /** Settings made in the configuration files (postgresql.conf, includes, ALTER SYSTEM) or on the command line. */
    static Configured configuredSettings(SqlSession s) {
        Map<String, String> map = new TreeMap<>();
        List<String> left = new ArrayList<>();
        for (SqlRow r : s.query("""
                SELECT name, setting, vartype FROM pg_catalog.pg_settings
                WHERE source IN ('configuration file', 'command line') ORDER BY name""")) {
            if (RecordedSettings.recorded(r.get("name"), r.get("vartype"))) {
                map.put(r.get("name"), r.get("setting") == null ? "" : r.get("setting"));
            } else {
                left.add(r.get("name"));
            }
        }
        return new Configured(map, List.copyOf(left));
    }
}
