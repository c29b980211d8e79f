package io.pgmigrate.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What the fingerprint of a table reads: its columns in name order (bytewise, as {@code COLLATE "C"}
 * sorts them, so a copy whose columns were created in another order hashes alike; generated and
 * dropped columns left out) and the key that narrowing matches rows by (empty when the table has
 * none).
 */
public record TableShape(TableRef table, List<HashedColumn> columns, Key key) {
    /** A primary key, or a unique index over NOT NULL columns; its columns in index order. */
    public record Key(String name, List<KeyColumn> columns) {
        public static final Key NONE = new Key(null, List.of());

        public boolean exists() {
            return !columns.isEmpty();
        }
    }

    /**
     * A key column: its name, its type without modifiers (to cast printed values back with), and
     * whether it has a collation (then it is ordered and compared under "C", the same on every
     * server whatever its libc or ICU version).
     */
    public record KeyColumn(String name, String type, boolean collatable) {
    }

    public TableShape {
        columns = List.copyOf(columns);
    }

    /**
     * A short digest of the hashing scheme and the hashed columns (name, type, hashing): two
     * fingerprints are comparable only when it is the same on both sides.
     */
    public String columnsDigest() {
        StringBuilder sb = new StringBuilder(FingerprintSql.SCHEME).append('\n');
        columns.forEach(c -> sb.append(c.signature()).append('\n'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
