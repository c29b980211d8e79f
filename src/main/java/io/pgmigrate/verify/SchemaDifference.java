package io.pgmigrate.verify;

/**
 * One difference between the schema before and after: an object missing after, one that is new after,
 * or one attribute ({@code what}: type, acl, definition, owner, …) that changed. {@code before} and
 * {@code after} are the attribute's values (for a missing or new object its definition or type, when it
 * has one). An expected difference comes with the reason it is not a failure.
 */
public record SchemaDifference(String database, SchemaKind kind, String name, Change change, String what,
        String before, String after, boolean expected, String explanation) {

    public enum Change {
        /** In the before inventory, not in the after one. */
        MISSING,
        /** Only in the after inventory. */
        ADDED,
        /** In both, with an attribute that differs. */
        CHANGED
    }

    /** The same difference, marked expected for that reason. */
    public SchemaDifference expectedBecause(String reason) {
        return new SchemaDifference(database, kind, name, change, what, before, after, true, reason);
    }

    /** One line for a report: {@code index public.orders_at_idx: missing after}. */
    public String describe() {
        return expected ? fact() + " — expected: " + explanation : fact();
    }

    /** What differs, without the explanation. */
    public String fact() {
        String object = kind.label() + " " + name;
        String line = switch (change) {
            case MISSING -> object + ": missing after" + (before == null ? "" : " (was: " + before + ")");
            case ADDED -> object + ": new after" + (after == null ? "" : " (" + after + ")");
            case CHANGED -> object + ": " + what + " changed from " + shown(before) + " to " + shown(after);
        };
        return line;
    }

    private static String shown(String value) {
        return value == null ? "(none)" : "'" + value + "'";
    }
}
