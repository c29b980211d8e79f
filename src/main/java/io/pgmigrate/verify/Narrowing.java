package io.pgmigrate.verify;

import java.time.Duration;
import java.util.List;

/**
 * Where two fingerprints of a table differ, found by bisecting its key range on both clusters.
 *
 * @param keyColumns  the key the rows are named by (empty when not narrowed)
 * @param rows        up to the asked number of differing rows, in key order per range
 * @param more        whether more differing rows may exist than those listed
 * @param notNarrowed null, or why the difference could not be narrowed down
 * @param queries     statements run (both clusters together)
 */
public record Narrowing(TableRef table, List<String> keyColumns, List<DifferingRow> rows, boolean more,
                        String notNarrowed, int queries, Duration took) {
    public Narrowing {
        keyColumns = List.copyOf(keyColumns);
        rows = List.copyOf(rows);
    }

    static Narrowing not(TableRef table, String why, Duration took) {
        return new Narrowing(table, List.of(), List.of(), false, why, 0, took);
    }
}
