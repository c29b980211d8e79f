package io.pgmigrate.planner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A database's name as it appears in step ids and in the names pgmigrate gives what it creates: the name itself when
 * it holds only lower-case letters, digits and underscores (40 at most), else folded to those characters (30 at most)
 * and made unique by 8 hex digits of its SHA-256: {@code my "db"} becomes {@code my__db__1a2b3c4d}.
 */
public final class DatabaseToken {
    private static final Pattern PLAIN = Pattern.compile("[a-z0-9_]{1,40}");

    private DatabaseToken() {
    }

    public static String of(String database) {
        if (PLAIN.matcher(database).matches()) {
            return database;
        }
        String folded = database.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (folded.length() > 30) {
            folded = folded.substring(0, 30);
        }
        return folded + "_" + hash(database);
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
