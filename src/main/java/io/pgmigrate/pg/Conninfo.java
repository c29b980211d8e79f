package io.pgmigrate.pg;

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
}
