package io.pgmigrate.pg;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A libpq connection string with every value quoted, so database names with spaces or quotes pass unchanged. */
public final class Conninfo {
    private Conninfo() {
    }

    public static String of(Map<String, String> keywords) {
        return keywords.entrySet().stream()
                .map(e -> e.getKey() + "='" + e.getValue().replace("\\", "\\\\").replace("'", "\\'") + "'")
                .collect(Collectors.joining(" "));
    }

    /**
     * The keywords of a libpq connection string in {@code keyword=value} form ({@code value} bare, or in single
     * quotes with backslash escapes), in order; a keyword given twice keeps its last value, as libpq does.
     *
     * @throws IllegalArgumentException naming the position when it is not such a string
     */
    public static Map<String, String> parse(String conninfo) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = conninfo.length();
        while (true) {
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            int eq = conninfo.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("no '=' after the keyword at position " + i);
            }
            String key = conninfo.substring(i, eq).strip();
            if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a keyword is missing before '=' at position " + eq);
            }
            i = eq + 1;
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && conninfo.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = conninfo.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(conninfo.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("the quoted value of " + key + " is not closed");
                }
            } else {
                while (i < n && !Character.isWhitespace(conninfo.charAt(i))) {
                    char c = conninfo.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = conninfo.charAt(i++);
                    }
                    value.append(c);
                }
            }
            out.put(key, value.toString());
        }
    }
}
