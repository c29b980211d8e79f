package io.pgmigrate.verify;

/**
 * A slice of one table's heap by block number, {@code from} inclusive, {@code to} exclusive (null:
 * to the end, so rows in blocks added after the size was read are still counted). Splits a large
 * table between parallel sessions; the slices' fingerprints add up to the table's. Slices are per
 * cluster (ctid differs between a table and its copy), so they never serve to compare clusters.
 */
public record BlockRange(long from, Long to) {
    public static final BlockRange WHOLE = new BlockRange(0, null);

    /**
     * Cuts a table of {@code pages} blocks into slices of about {@code slicePages} (the last one open
     * to the end); a table below 1.5 slices stays whole.
     */
    public static java.util.List<BlockRange> slices(long pages, long slicePages) {
        if (slicePages <= 0 || pages < slicePages + slicePages / 2) {
            return java.util.List.of(WHOLE);
        }
        long n = Math.max(2, Math.round((double) pages / slicePages));
        long size = (pages + n - 1) / n;
        java.util.List<BlockRange> out = new java.util.ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(new BlockRange(i * size, i == n - 1 ? null : (i + 1) * size));
        }
        return out;
    }

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
