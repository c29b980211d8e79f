package io.pgmigrate.pg;

/**
 * Quoting of SQL identifiers and literals so that the text means the same whatever the session's settings.
 *
 * <p>A plain {@code '…'} literal is read differently when {@code standard_conforming_strings} is off (a database or
 * role setting anyone with CREATEDB can make): a backslash in it then escapes the next character, and a value could end
 * the literal early. So a value holding a backslash or a control character is written as an escape string
 * {@code E'…'}, which every setting reads the same way, with backslashes, quotes and control characters escaped;
 * any other value is written {@code '…'} with its quotes doubled, which reads the same under either setting. An
 * identifier holding a control character is written {@code U&"…"} with the character as a Unicode escape, so that no
 * statement's text carries a raw newline from a name (the reviewed plan shows each statement as it runs). NUL cannot
 * be in PostgreSQL text: refused.
 */
public final class SqlIdentifiers {
    private SqlIdentifiers() {
    }

    /** Always quotes: "my table" → "\"my table\"", embedded quotes doubled; control characters as U&"…" escapes. */
    public static String quote(String identifier) {
        refuseNul(identifier, "identifier");
        if (!hasControl(identifier)) {
            return '"' + identifier.replace("\"", "\"\"") + '"';
        }
        StringBuilder sb = new StringBuilder("U&\"");
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (c == '"') {
                sb.append("\"\"");
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (isControl(c)) {
                sb.append('\\').append(String.format("%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** schema.name, each part quoted. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    /**
     * A string literal read the same whatever {@code standard_conforming_strings} says: {@code 'it''s'}, or
     * {@code E'a\\b'} when the value holds a backslash or a control character.
     */
    public static String literal(String value) {
        refuseNul(value, "literal");
        if (value.indexOf('\\') < 0 && !hasControl(value)) {
            return '\'' + value.replace("'", "''") + '\'';
        }
        StringBuilder sb = new StringBuilder("E'");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> sb.append("''");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (isControl(c)) {
                        sb.append("\\x").append(String.format("%02X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('\'').toString();
    }

    /** ASCII control characters (a newline among them) and DEL. */
    static boolean isControl(char c) {
        return c < 0x20 || c == 0x7F;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static void refuseNul(String s, String what) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL byte");
        }
    }
}
