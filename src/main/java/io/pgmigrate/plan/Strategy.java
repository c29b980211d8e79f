package io.pgmigrate.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the cluster gets to the new version: in place with pg_upgrade, or blue/green over logical replication. */
public enum Strategy {
    PG_UPGRADE("pg-upgrade"), LOGICAL("logical");

    private final String key;

    Strategy(String key) {
        this.key = key;
    }

    /** The inventory's and the plan's spelling. */
    @JsonValue
    public String key() {
        return key;
    }

    @JsonCreator
    public static Strategy of(String key) {
        for (Strategy s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + key + "' (pg-upgrade or logical)");
    }
}
