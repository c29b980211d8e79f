package io.pgmigrate.replication;

/**
 * A subscription's {@code origin} option (PostgreSQL 16 and later on the subscriber): {@code ANY} takes
 * every change, {@code NONE} only changes that were not themselves applied by replication, which keeps
 * two clusters replicating to each other from sending changes back and forth.
 */
public enum Origin {
    ANY,
    NONE;

    String sql() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
