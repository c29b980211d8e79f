package io.pgmigrate.verify;

import java.util.List;

/**
 * A range of a table's key: from {@code lower} (inclusive) to {@code upper} (exclusive), each the
 * key's values as the server prints them, or null for no bound. Keys compare as rows, column by
 * column, collatable ones under "C". The same range selects the same rows on both clusters, which a
 * ctid range would not.
 */
public record KeyRange(List<String> lower, List<String> upper) {
    public static final KeyRange ALL = new KeyRange(null, null);

    public KeyRange {
        lower = lower == null ? null : List.copyOf(lower);
        upper = upper == null ? null : List.copyOf(upper);
    }

    /** How a report shows it: {@code [(10), (20))}, {@code [(10), end)}. */
    @Override
    public String toString() {
        return "[" + (lower == null ? "start" : "(" + String.join(", ", lower) + ")") + ", "
                + (upper == null ? "end" : "(" + String.join(", ", upper) + ")") + ")";
    }
}
