package io.pgmigrate.transport;

import java.util.Locale;

/**
 * A member's role as Patroni reports it. Patroni 3.0.2 says {@code master} in {@code /patroni} and {@code leader}
 * in {@code /cluster}; later versions say {@code primary}; all three are {@link #LEADER}. A role this version does
 * not know is {@link #OTHER}, kept as text by the caller.
 */
public enum PatroniRole {
    LEADER, STANDBY_LEADER, SYNC_STANDBY, REPLICA, OTHER;

    public static PatroniRole of(String text) {
        if (text == null) {
            return OTHER;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "leader", "master", "primary" -> LEADER;
            case "standby_leader", "standby-leader" -> STANDBY_LEADER;
            case "sync_standby", "sync-standby" -> SYNC_STANDBY;
            case "replica" -> REPLICA;
            default -> OTHER;
        };
    }
}
