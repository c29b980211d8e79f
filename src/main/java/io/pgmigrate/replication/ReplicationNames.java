package io.pgmigrate.replication;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The names pgmigrate gives what it creates for one database and one direction: a publication on the
 * publisher, a subscription on the subscriber, and the subscription's replication slot on the publisher.
 * All start with the prefix, so that cleanup finds them by it. Publication and subscription names keep the
 * database's name as it is (quoted wherever used); the slot name may only hold {@code [a-z0-9_]} and is
 * unique per cluster, so it is the database's name folded to those characters plus a short hash of the
 * exact name. Every name fits PostgreSQL's 63 bytes (a longer one would be truncated silently, and an
 * "is it there?" by the full name would never find it again).
 */
public record ReplicationNames(String publication, String subscription, String slot) {
    static final int MAX_BYTES = 63;

    /** For example {@code of("pgmigrate_", "green", "shop")}: publication and subscription {@code pgmigrate_green_shop}. */
    public static ReplicationNames of(String prefix, String direction, String database) {
        String base = prefix + direction + "_";
        if (!base.matches("[a-z0-9_]+")) {
            // a folded prefix would not find the slot again by the prefix
            throw new IllegalArgumentException("prefix and direction hold only a-z, 0-9 and _: '" + base + "'");
        }
        String named = base + database;
        if (bytes(named) > MAX_BYTES) {
            named = cut(named, database);
        }
        String slot = slotSafe(named);
        if (!slotSafe(database).equals(database) || slot.length() > MAX_BYTES) {
            slot = cut(slotSafe(base + database), database);
        }
        return new ReplicationNames(named, named, slot);
    }

    /** Lower-case letters, digits and underscores only: what a replication slot's name may hold. */
    static String slotSafe(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            b.append(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' ? c : '_');
        }
        return b.toString();
    }

    /** Cut at a character boundary, then {@code _} and 8 hex digits of the SHA-256 of the exact database name. */
    private static String cut(String name, String database) {
        String suffix = "_" + hash(database);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            String next = new String(Character.toChars(cp));
            if (bytes(b + next) + suffix.length() > MAX_BYTES) {
                break;
            }
            b.append(next);
            i += Character.charCount(cp);
        }
        return b + suffix;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
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
