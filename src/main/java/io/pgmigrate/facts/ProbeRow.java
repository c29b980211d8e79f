package io.pgmigrate.facts;

import java.util.Map;

/** One row a pre-check's SQL probe returned, with the database it came from. */
public record ProbeRow(String database, Map<String, String> values) {
    public String get(String column) {
        return values.get(column);
    }
}
