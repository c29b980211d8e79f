package io.pgmigrate.pg;

import java.util.List;

/**
 * Server settings removed or renamed between major versions (release notes, "Migration" sections).
 * A configuration that still sets a removed one makes the new server refuse to start.
 */
public final class SettingChanges {
    /**
     * @param removedIn   the first major version without it (10, 16, …)
     * @param replacement the new name, or null when it is gone without one
     * @param aliased     the old name is still accepted as an alias of the new one
     */
    public record Change(String name, int removedIn, String replacement, boolean aliased, String note) {
    }

    public static final List<Change> ALL = List.of(
            new Change("min_parallel_relation_size", 10, "min_parallel_table_scan_size", false, null),
            new Change("sql_inheritance", 10, null, false, null),
            new Change("replacement_sort_tuples", 11, null, false, null),
            new Change("default_with_oids", 12, null, false, "tables WITH OIDS are no longer supported"),
            new Change("standby_mode", 12, null, false, "a standby is configured by a standby.signal file"),
            new Change("wal_keep_segments", 13, "wal_keep_size", false,
                    "the value becomes segments × wal_segment_size in MB"),
            new Change("operator_precedence_warning", 14, null, false, null),
            new Change("vacuum_cleanup_index_scale_factor", 14, null, false, null),
            new Change("stats_temp_directory", 15, null, false, "statistics live in shared memory"),
            new Change("vacuum_defer_cleanup_age", 16, null, false,
                    "use hot_standby_feedback or a replication slot on the standby"),
            new Change("promote_trigger_file", 16, null, false, "promote with pg_ctl promote or pg_promote()"),
            new Change("force_parallel_mode", 16, "debug_parallel_query", false, null),
            new Change("db_user_namespace", 17, null, false, null),
            new Change("old_snapshot_threshold", 17, null, false, null),
            new Change("trace_recovery_messages", 17, null, false, null),
            new Change("ssl_ecdh_curve", 18, "ssl_groups", true, "the old name is still accepted"));

    private SettingChanges() {
    }

    /** The change of this setting that happened after sourceMajor and up to targetMajor, or null. */
    public static Change between(String name, int sourceMajor, int targetMajor) {
        Change c = find(name);
        if (c == null) {
            return null;
        }
        int at = PgVersion.scaled(c.removedIn());
        return at > PgVersion.scaled(sourceMajor) && at <= PgVersion.scaled(targetMajor) ? c : null;
    }

    public static Change find(String name) {
        return ALL.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }
}
