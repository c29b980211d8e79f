package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.planner.Estimator;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory;

import java.time.Duration;
import java.util.List;

import static io.pgmigrate.planner.Estimator.seconds;

/**
 * Durations of the blue/green plan, from sizes and counts, with the rates stated in {@link #assumptions()} so that a
 * reviewer can redo the arithmetic. The initial copy runs while clients work; the outage is the cutover's frozen
 * steps: the catch-up wait, the sequence copy, and the data comparison when it is asked for before the switch.
 */
final class LogicalEstimator {
    /** The initial copy, all table synchronisation workers together, indexes maintained as rows arrive. */
    static final long COPY_BYTES_PER_SECOND = 50L * 1024 * 1024;
    /** Lag accepted before the cutover starts; the frozen catch-up applies at most this much. */
    static final long LAG_BYTES = 16L * 1024 * 1024;
    static final long APPLY_BYTES_PER_SECOND = 16L * 1024 * 1024;
    static final double SECONDS_PER_SEQUENCE = 0.002;

    private final Estimator base;
    private final SourceFacts source;
    private final Inventory inv;

    LogicalEstimator(Inventory inv, SourceFacts source) {
        this.inv = inv;
        this.source = source;
        this.base = new Estimator(source);
    }

    int sourceMajor() {
        return source.version().major();
    }

    Estimator base() {
        return base;
    }

    List<String> assumptions() {
        return List.of(
                "initial copy: " + COPY_BYTES_PER_SECOND / (1024 * 1024) + " MiB/s for all table synchronisation"
                        + " workers together, indexes built as rows arrive (" + Bytes.human(source.totalSizeBytes())
                        + " of data); then catch-up until the lag is below " + Bytes.human(LAG_BYTES),
                "schema dump and restore: 5 s fixed + " + (int) (Estimator.SCHEMA_SECONDS_PER_RELATION * 1000 * 2)
                        + " ms per relation",
                "cutover catch-up: at most " + Bytes.human(LAG_BYTES) + " of WAL left at the freeze, applied at "
                        + APPLY_BYTES_PER_SECOND / (1024 * 1024) + " MiB/s; writes are frozen while it runs",
                "inside the cutover, a catalog statement or pgbouncer command 0.2 s, a snapshot export or a reverse"
                        + " subscription 0.5 s, the switch command 2 s (time yours in staging)",
                "sequence copy: 0.2 s + " + (int) (SECONDS_PER_SEQUENCE * 1000) + " ms per sequence ("
                        + sequences() + " sequence(s)); large objects, when there are any: 1 s + their size at the"
                        + " initial copy's rate",
                "verification at the frozen point: row counts (" + inv.options().verify().rowCounts().key() + ")"
                        + (inv.options().verify().fingerprints() ? " and data fingerprints" : "")
                        + " measured on both clusters at once, at the rates of the in-place plan: exact counts "
                        + Estimator.COUNT_BYTES_PER_SECOND / (1024 * 1024) + " MiB/s, fingerprints "
                        + Estimator.HASH_BYTES_PER_SECOND / (1024 * 1024) + " MiB/s per job, " + inv.options().jobs()
                        + " jobs" + (inv.options().verify().beforeSwitch() ? "; inside the write outage (options.verify"
                        + ".beforeSwitch)" : "; the clusters are held in snapshots at the frozen point and compared"
                        + " after the switch (post.verify), outside the write outage"),
                "sizes and relation counts as inspected: " + source.totalSizeBytes() + " bytes, "
                        + source.totalRelations() + " relations");
    }

    Duration initialCopy() {
        return seconds(10 + (double) source.totalSizeBytes() / COPY_BYTES_PER_SECOND);
    }

    Duration schemaRestore() {
        return seconds(5 + Estimator.SCHEMA_SECONDS_PER_RELATION * 2 * source.totalRelations());
    }

    /** One database's share of the frozen catch-up: the first wait takes it, the others find it done. */
    Duration catchUp() {
        return seconds(1 + (double) LAG_BYTES / APPLY_BYTES_PER_SECOND);
    }

    Duration sequenceCopy(String database) {
        return seconds(0.2 + SECONDS_PER_SEQUENCE * sequences(database));
    }

    /** Row counts, and fingerprints when on, of both clusters in parallel: as long as one side. */
    Duration frozenVerification() {
        int jobs = inv.options().jobs();
        Duration counts = base.rowCounts(inv.options().verify().rowCounts(), jobs);
        return inv.options().verify().fingerprints() ? counts.plus(base.fingerprints(jobs)) : counts;
    }

    /** Large objects of one database (from the pre-flight's probe), copied at the frozen point. */
    long largeObjectBytes(String database) {
        return source.probe("logical-large-objects").stream().filter(r -> database.equals(r.database()))
                .mapToLong(r -> number(r, "size_bytes")).sum();
    }

    boolean hasLargeObjects(String database) {
        return source.probe("logical-large-objects").stream().anyMatch(r -> database.equals(r.database())
                && number(r, "large_objects") > 0);
    }

    Duration largeObjectCopy(String database) {
        return seconds(1 + (double) largeObjectBytes(database) / COPY_BYTES_PER_SECOND);
    }

    private static long number(ProbeRow r, String column) {
        try {
            return Long.parseLong(r.get(column));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    long sequences() {
        return source.probe("logical-sequences").stream().mapToLong(LogicalEstimator::count).sum();
    }

    private long sequences(String database) {
        return source.probe("logical-sequences").stream().filter(r -> database.equals(r.database()))
                .mapToLong(LogicalEstimator::count).sum();
    }

    private static long count(ProbeRow r) {
        return number(r, "sequences");
    }
}
