package io.pgmigrate.verify;

import io.pgmigrate.pg.SqlIdentifiers;

import java.util.Map;

/**
 * One column as the row hash reads it: its name, its type as {@code format_type} prints it, and how
 * its value enters the hash.
 *
 * <p>{@link Hashing#TYPE_HASH}: the type's own extended hash function (the one hash partitioning
 * uses, so pg_upgrade already depends on it staying the same across versions). Only for built-in
 * types whose hash tells every two distinct values apart and depends on nothing but the value: not
 * on OIDs, settings or collation (text is hashed under "C", i.e. by its bytes). timestamptz is
 * hashed by its instant, so the TimeZone does not enter. Where PostgreSQL 14 has that function under
 * an SQL name it is called directly; bytea, date and timestamptz have none before 18 and go through
 * {@code hash_record_extended(ROW(...))}, which finds the same function through the type cache.
 *
 * <p>{@link Hashing#TEXT}: everything else is hashed as the text its output function prints under
 * {@link PinnedSettings}. Either its hash is lossy (numeric and jsonb ignore the scale, 1.0 = 1.00;
 * float8 folds -0 into 0; interval equates '1 mon' with '30 days'), or depends on OIDs (enums hash
 * their label's OID, which a logical copy does not keep; reg* types are OIDs), or it has no hash at
 * all (money, point, xml, json), or it is an extension's type whose hash we cannot vouch for
 * (citext's ignores case). Arrays, composites and ranges are printed whole, so an enum or a
 * timestamptz inside them prints as its label or its UTC time.
 */
public record HashedColumn(String name, String type, String baseType, boolean domain, Hashing hashing) {
    /** How a column's value enters the row hash. */
    public enum Hashing { TYPE_HASH, TEXT }

    /**
     * How a type is hashed: what a domain over it (or a bool, or a varchar) is cast to first, the
     * function (null: none with an SQL name on 14–17, so hashed inside a ROW), whether to hash it
     * under collation "C".
     */
    private record TypeHash(String cast, String function, boolean collatable) {
    }

    /** pg_catalog type name → how it is hashed. */
    private static final Map<String, TypeHash> TYPE_HASHED = Map.ofEntries(
            Map.entry("int2", new TypeHash("pg_catalog.int2", "pg_catalog.hashint2extended", false)),
            Map.entry("int4", new TypeHash("pg_catalog.int4", "pg_catalog.hashint4extended", false)),
            Map.entry("int8", new TypeHash("pg_catalog.int8", "pg_catalog.hashint8extended", false)),
            // bool's own hash has an SQL name only from 18 on: as 0/1 through int4's
            Map.entry("bool", new TypeHash("pg_catalog.int4", "pg_catalog.hashint4extended", false)),
            Map.entry("char", new TypeHash("pg_catalog.\"char\"", "pg_catalog.hashcharextended", false)),
            Map.entry("uuid", new TypeHash("pg_catalog.uuid", "pg_catalog.uuid_hash_extended", false)),
            Map.entry("time", new TypeHash("pg_catalog.time", "pg_catalog.time_hash_extended", false)),
            Map.entry("timetz", new TypeHash("pg_catalog.timetz", "pg_catalog.timetz_hash_extended", false)),
            Map.entry("timestamp", new TypeHash("pg_catalog.timestamp", "pg_catalog.timestamp_hash_extended", false)),
            Map.entry("oid", new TypeHash("pg_catalog.oid", "pg_catalog.hashoidextended", false)),
            Map.entry("macaddr", new TypeHash("pg_catalog.macaddr", "pg_catalog.hashmacaddrextended", false)),
            Map.entry("macaddr8", new TypeHash("pg_catalog.macaddr8", "pg_catalog.hashmacaddr8extended", false)),
            Map.entry("text", new TypeHash("pg_catalog.text", "pg_catalog.hashtextextended", true)),
            // varchar has no hash of its own: text's, through the cast (no conversion)
            Map.entry("varchar", new TypeHash("pg_catalog.text", "pg_catalog.hashtextextended", true)),
            Map.entry("bpchar", new TypeHash("pg_catalog.bpchar", "pg_catalog.hashbpcharextended", true)),
            Map.entry("name", new TypeHash("pg_catalog.name", "pg_catalog.hashnameextended", false)),
            Map.entry("bytea", new TypeHash("pg_catalog.bytea", null, false)),
            Map.entry("date", new TypeHash("pg_catalog.date", null, false)),
            Map.entry("timestamptz", new TypeHash("pg_catalog.timestamptz", null, false)));

    /**
     * Classifies a column.
     *
     * @param baseType the pg_catalog type name ({@code typname}) of the column's type, or of the type
     *                 a domain is over; null when the type (or the domain's base) is not in pg_catalog
     * @param domain   whether the column's type is a domain (over {@code baseType})
     */
    public static HashedColumn of(String name, String type, String baseType, boolean domain) {
        Hashing h = baseType != null && TYPE_HASHED.containsKey(baseType) ? Hashing.TYPE_HASH : Hashing.TEXT;
        return new HashedColumn(name, type, baseType, domain, h);
    }

    /** Whether the column is hashed by a function of its own ({@link #hash}), else inside a ROW ({@link #rowElement}). */
    boolean direct() {
        return hashing == Hashing.TEXT || TYPE_HASHED.get(baseType).function() != null;
    }

    /** The SQL hashing the column's value with the given seed (NULL for a NULL value); only when {@link #direct()}. */
    String hash(long seed) {
        String col = SqlIdentifiers.quote(name);
        if (hashing == Hashing.TEXT) {
            return "pg_catalog.hashtextextended((" + col + "::pg_catalog.text COLLATE \"C\"), " + seed + ")";
        }
        TypeHash t = TYPE_HASHED.get(baseType);
        return t.function() + "(" + typed(col, t) + ", " + seed + ")";
    }

    /** The column as an element of the ROW hashed with hash_record_extended; only when not {@link #direct()}. */
    String rowElement() {
        return typed(SqlIdentifiers.quote(name), TYPE_HASHED.get(baseType));
    }

    private String typed(String col, TypeHash t) {
        boolean cast = domain || "varchar".equals(baseType) || "bool".equals(baseType);
        String typed = cast ? col + "::" + t.cast() : col;
        return t.collatable() ? "(" + typed + " COLLATE \"C\")" : typed;
    }

    /** How the column is described in the column digest: name, type and hashing, one line. */
    String signature() {
        return name + "\t" + type + "\t" + hashing;
    }
}
