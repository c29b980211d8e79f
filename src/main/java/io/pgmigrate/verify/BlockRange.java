package io.pgmigrate.verify;

/**
 * A slice of one table's heap by block number, {@code from} inclusive, {@code to} exclusive (null:
 * to the end, so rows in blocks added after the size was read are still counted). Splits a large
 * table between parallel sessions; the slices' fingerprints add up to the table's. Slices are per
 * cluster (ctid differs between a table and its copy), so they never serve to compare clusters.
 */
public record BlockRange(long from, Long to) {
    public static final BlockRange WHOLE = new BlockRange(0, null);

    public boolean whole() {
        return from == 0 && to == null;
    }

    /** The WHERE condition (TID range scan, PostgreSQL 14 and later), or "" for the whole table. */
    String condition() {
        if (whole()) {
            return "";
        }
        String lower = from == 0 ? null : "ctid >= '(" + from + ",0)'::pg_catalog.tid";
        String upper = to == null ? null : "ctid < '(" + to + ",0)'::pg_catalog.tid";
        return " WHERE " + (lower == null ? upper : upper == null ? lower : lower + " AND " + upper);
    }
}
