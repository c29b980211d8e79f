package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.pg.Conninfo;
import io.pgmigrate.pg.SqlIdentifiers;

import java.util.Map;

/** The replication statements of blue/green, every name and literal quoted. */
final class LogicalSql {
    private LogicalSql() {
    }

    /**
     * CREATE SUBSCRIPTION to the publication of the same name, with its slot named explicitly (slot names allow
     * fewer characters than subscription names). The connection string never holds a password.
     */
    static String createSubscription(String name, Map<String, String> conninfo, String options, String slot) {
        if (conninfo.keySet().stream().anyMatch(k -> k.contains("pass"))) {
            throw new IllegalArgumentException("a subscription's connection string must not carry a password");
        }
        return "CREATE SUBSCRIPTION " + SqlIdentifiers.quote(name) + " CONNECTION "
                + SqlIdentifiers.literal(Conninfo.of(conninfo)) + " PUBLICATION " + SqlIdentifiers.quote(name)
                + " WITH (" + options + ", slot_name = " + SqlIdentifiers.literal(slot) + ")";
    }
}
