package io.pgmigrate.planner.bluegreen;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The names blue/green gives what it creates for one database: {@code pgmigrate_<db>} for the publication on blue,
 * the subscription on green and its slot; {@code pgmigrate_rev_<db>} for reverse replication. Slot names may hold only
 * lower-case letters, digits and underscores (63 bytes at most), so a database name with anything else (or a long
 * one) is folded to those characters and made unique by 8 hex digits of its SHA-256: {@code my "db"} becomes
 * {@code pgmigrate_my__db__1a2b3c4d}. The same name serves for all three, so a DBA finds each from the other.
 */
record LogicalNames(String database, String token) {
    private static final Pattern PLAIN = Pattern.compile("[a-z0-9_]{1,40}");

    static LogicalNames of(String database) {
        if (PLAIN.matcher(database).matches()) {
            return new LogicalNames(database, database);
        }
        String folded = database.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (folded.length() > 30) {
            folded = folded.substring(0, 30);
        }
        return new LogicalNames(database, folded + "_" + hash(database));
    }

    /** Publication on blue, subscription on green, and its slot on blue. */
    String forward() {
        return "pgmigrate_" + token;
    }

    /** Reverse replication: publication on green, subscription on blue, and its slot on green. */
    String reverse() {
        return "pgmigrate_rev_" + token;
    }

    /** The schema dump's file name in the work directory. */
    String schemaFile() {
        return "schema-" + token + ".dump";
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
