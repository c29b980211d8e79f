package io.pgmigrate.inventory;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;

/**
 * Builds the one-line messages of a bad inventory: {@code <file>[:<line>]: [<key.path>: ]<what is wrong>[; <what to do>]}.
 * Values quoted from the file are shortened and control characters escaped, so a message never spans lines.
 */
final class InventoryProblems {
    private static final int MAX_QUOTED = 60;

    private InventoryProblems() {
    }

    /**
     * @param file  the inventory as the user named it
     * @param line  1-based line, or 0 when there is no useful line
     * @param path  the key path ({@code source.pg.port}, {@code smokeQueries[1].sql}), or null/empty for the file itself
     * @param what  what is wrong and what to do
     */
    static PgMigrateException at(String file, int line, String path, String what) {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (path != null && !path.isEmpty()) {
            b.append(path).append(": ");
        }
        b.append(what);
        return new PgMigrateException(ExitCode.BAD_INPUT, oneLine(b.toString()));
    }

    /** A value from the file, quoted for a message: {@code 'bin/15'}. */
    static String quote(String value) {
        String v = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value;
        return "'" + oneLine(v) + "'";
    }

    /** Escapes line breaks, tabs and other control characters. */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
