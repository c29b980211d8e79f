package io.pgmigrate.verify;

import java.util.List;

/** A row that differs between the clusters, named by its key values (printed text, in key order). */
public record DifferingRow(List<String> key, Change change) {
    public enum Change {
        /** The key exists before only (row lost). */
        MISSING_AFTER,
        /** The key exists after only (row added). */
        ADDED_AFTER,
        /** The key exists on both, other values differ. */
        CHANGED
    }

    public DifferingRow {
        key = List.copyOf(key);
    }
}
