package io.pgmigrate.inspect;

import io.pgmigrate.pg.SettingChanges;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which configured settings of the source pgmigrate records (in its facts, and so in the plan and carried over to the
 * new cluster): an allowlist, not every setting of the server. A setting is recorded when its name is not one that may
 * hold a secret and its value cannot be free text (a boolean, a number, one of a setting's fixed choices), or it is a
 * text setting named here (lists of libraries, addresses, paths, formats, locales). Text settings not named here
 * (commands, connection strings, custom settings of an application or extension) are left out by name: the plan says
 * which, and the DBA sets them on the new cluster.
 */
final class RecordedSettings {
    /** Names of settings that may hold a secret: never recorded, whatever their type. */
    static final Pattern SECRET_SETTING = Pattern.compile(
            "(?i).*(password|passphrase|conninfo|secret|token|credential|api_?key|_command$|(^|[._])key$).*");

    /** Types whose values are not free text. */
    private static final Set<String> CLOSED_TYPES = Set.of("bool", "integer", "real", "enum");

    /** Text settings of PostgreSQL (9.6–18) whose value is a list, a path, a name or a format: recorded. */
    static final Set<String> TEXT_SETTINGS = Set.of(
            "archive_library", "backtrace_functions", "bonjour_name", "createrole_self_grant", "datestyle",
            "debug_io_direct", "default_table_access_method", "default_tablespace", "default_text_search_config",
            "dynamic_library_path", "event_source", "extension_control_path", "lc_messages", "lc_monetary",
            "lc_numeric", "lc_time", "listen_addresses", "local_preload_libraries", "log_connections",
            "log_destination", "log_directory", "log_filename", "log_line_prefix", "log_timezone",
            "oauth_validator_libraries", "restrict_nonsystem_relation_kind", "search_path",
            "session_preload_libraries", "shared_preload_libraries", "ssl_ca_file", "ssl_cert_file", "ssl_ciphers",
            "ssl_crl_dir", "ssl_crl_file", "ssl_dh_params_file", "ssl_ecdh_curve", "ssl_groups", "ssl_key_file",
            "ssl_tls13_ciphers", "synchronized_standby_slots", "synchronous_standby_names", "syslog_ident",
            "temp_tablespaces", "timezone", "timezone_abbreviations", "unix_socket_directories",
            "unix_socket_group", "wal_consistency_checking");

    private RecordedSettings() {
    }

    /** Whether a setting of this name and pg_settings.vartype is recorded. */
    static boolean recorded(String name, String vartype) {
        if (SECRET_SETTING.matcher(name).matches()) {
            return false;
        }
        return CLOSED_TYPES.contains(vartype) || TEXT_SETTINGS.contains(name.toLowerCase(Locale.ROOT))
                || SettingChanges.find(name) != null;
    }
}
