package io.pgmigrate.replication;

/**
 * How a subscriber reaches its publisher: the libpq connection string of a subscription. It has no
 * password on purpose: the string is stored in {@code pg_subscription} and shows up in logs, so the
 * password comes from the passfile of the subscriber's operating-system user ({@code ~postgres/.pgpass}
 * on the subscriber's host) or from a {@code pg_hba.conf} that trusts the replication connection.
 */
public record PublisherConnection(String host, int port, String user, String database, String sslmode) {
    public PublisherConnection {
        require("host", host);
        require("user", user);
        require("database", database);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("publisher port out of range: " + port);
        }
    }

    private static void require(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("publisher " + what + " is missing");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("publisher " + what + " contains a NUL byte");
        }
    }

    /** {@code host='…' port=… user='…' dbname='…' sslmode='…'}, each value quoted as libpq reads it. */
    public String conninfo() {
        StringBuilder b = new StringBuilder();
        b.append("host=").append(value(host));
        b.append(" port=").append(port);
        b.append(" user=").append(value(user));
        b.append(" dbname=").append(value(database));
        if (sslmode != null && !sslmode.isEmpty()) {
            b.append(" sslmode=").append(value(sslmode));
        }
        return b.toString();
    }

    /** libpq's keyword/value quoting: single quotes, with backslash and quote escaped by a backslash. */
    static String value(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
