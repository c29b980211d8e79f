package io.pgmigrate.transport;

import java.util.Map;

/** One result row, every column read as text (null for SQL NULL). Column order is kept. */
public record SqlRow(Map<String, String> values) {
    public String get(String column) {
        if (!values.containsKey(column)) {
            throw new IllegalArgumentException("no column '" + column + "' in " + values.keySet());
        }
        return values.get(column);
    }

    public long getLong(String column) {
        String v = get(column);
        return v == null ? 0L : Long.parseLong(v);
    }

    public boolean getBool(String column) {
        String v = get(column);
        return "t".equals(v) || "true".equals(v);
    }
}
