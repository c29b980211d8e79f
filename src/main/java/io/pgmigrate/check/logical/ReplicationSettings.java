package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.pg.PgVersion;

import java.util.Map;

/**
 * The replication settings of both sides as the pre-flight reasons about them: blue's as it runs now; green's
 * as it will be created, i.e. blue's configured value when blue's configuration sets it (the plan carries
 * blue's settings over), otherwise the default of the target version.
 */
final class ReplicationSettings {
    static final String SLOTS = "max_replication_slots";
    static final String SENDERS = "max_wal_senders";
    static final String WORKERS = "max_logical_replication_workers";
    static final String PROCESSES = "max_worker_processes";
    static final String SYNC_WORKERS = "max_sync_workers_per_subscription";
    /** From PostgreSQL 18 on, a subscriber's replication origins have a setting of their own. */
    static final String ORIGINS = "max_active_replication_origins";

    /** PostgreSQL's defaults (the same from 10 to 18; the origins setting exists from 18 on). */
    private static final Map<String, Integer> DEFAULTS = Map.of(SLOTS, 10, SENDERS, 10, WORKERS, 4, PROCESSES, 8,
            SYNC_WORKERS, 2, ORIGINS, 10);

    private final CheckInput in;

    ReplicationSettings(CheckInput in) {
        this.in = in;
    }

    /** Blue's running value (the default when inspection did not read it). */
    int blue(String name) {
        return parse(in.source().settings().get(name), name);
    }

    /** Green's value: carried over from blue's configuration, else the target version's default. */
    int green(String name) {
        return parse(in.source().nonDefaultSettings().get(name), name);
    }

    /** Where green's value comes from, for the reader. */
    String greenSource(String name) {
        return in.source().nonDefaultSettings().containsKey(name) ? "carried over from blue's configuration"
                : "PostgreSQL " + in.path().targetMajor() + "'s default";
    }

    /** The setting that bounds a subscriber's replication origins on a server of this major version. */
    static String originsSetting(int major) {
        return PgVersion.scaled(major) >= 1800 ? ORIGINS : SLOTS;
    }

    /** Databases that get a publication and a subscription each: every one that allows connections, not templates. */
    int databases() {
        return (int) in.source().databases().stream().filter(d -> d.allowConnections() && !d.template()).count();
    }

    private static int parse(String value, String name) {
        if (value == null || value.isBlank()) {
            return DEFAULTS.get(name);
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return DEFAULTS.get(name);
        }
    }
}
