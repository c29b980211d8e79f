package io.pgmigrate.verify;

import io.pgmigrate.pg.SqlIdentifiers;

import java.util.Map;
import java.util.Set;

/**
 * One column as the row hash reads it: its name, its type as {@code format_type} prints it, and how
 * its value enters the hash.
 *
 * <p>{@link Hashing#TYPE_HASH}: the type's own extended hash function (the one hash partitioning
 * uses, so pg_upgrade already depends on it staying the same across versions). Only for built-in
 * types whose hash tells every two distinct values apart and depends on nothing but the value: not
 * on OIDs, settings or collation (text is hashed under "C", i.e. by its bytes). timestamptz is
 * hashed by its instant, so the TimeZone does not enter.
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
     * Built-in types (pg_catalog names) hashed by their own hash function → the SQL name to cast a
     * domain over them to. The ones needing {@code COLLATE "C"} are listed in {@link #COLLATABLE}.
     */
    private static final Map<String, String> TYPE_HASHED = Map.ofEntries(
            Map.entry("int2", "pg_catalog.int2"), Map.entry("int4", "pg_catalog.int4"),
            Map.entry("int8", "pg_catalog.int8"), Map.entry("bool", "pg_catalog.bool"),
            Map.entry("char", "pg_catalog.\"char\""), Map.entry("bytea", "pg_catalog.bytea"),
            Map.entry("uuid", "pg_catalog.uuid"), Map.entry("date", "pg_catalog.date"),
            Map.entry("time", "pg_catalog.time"), Map.entry("timetz", "pg_catalog.timetz"),
            Map.entry("timestamp", "pg_catalog.timestamp"), Map.entry("timestamptz", "pg_catalog.timestamptz"),
            Map.entry("oid", "pg_catalog.oid"), Map.entry("macaddr", "pg_catalog.macaddr"),
            Map.entry("macaddr8", "pg_catalog.macaddr8"), Map.entry("text", "pg_catalog.text"),
            // varchar has no hash of its own: text's, through the cast (no conversion)
            Map.entry("varchar", "pg_catalog.text"), Map.entry("bpchar", "pg_catalog.bpchar"),
            Map.entry("name", "pg_catalog.name"));

    private static final Set<String> COLLATABLE = Set.of("text", "varchar", "bpchar", "name");

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

    /** The SQL expression that goes into {@code ROW(...)} for this column. */
    public String expression() {
        String col = SqlIdentifiers.quote(name);
        if (hashing == Hashing.TEXT) {
            return "(" + col + "::pg_catalog.text COLLATE \"C\")";
        }
        boolean cast = domain || "varchar".equals(baseType);
        String typed = cast ? col + "::" + TYPE_HASHED.get(baseType) : col;
        return COLLATABLE.contains(baseType) ? "(" + typed + " COLLATE \"C\")" : typed;
    }

    /** How the column is described in the column digest: name, type and hashing, one line. */
    String signature() {
        return name + "\t" + type + "\t" + hashing;
    }
}
