package io.pgmigrate.planner;

import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.inventory.Inventory.UpgradeMode;

import java.time.Duration;
import java.util.List;

/**
 * Rough, conservative durations from relation counts and sizes. The rates are stated in
 * {@link #assumptions()} so that a reviewer can redo the arithmetic for their hardware.
 */
public final class Estimator {
    public static final long COPY_BYTES_PER_SECOND = 200L * 1024 * 1024;
    /** Between hosts (pg_basebackup of a standby, rsync): about a 1 Gbit/s network. */
    public static final long NETWORK_BYTES_PER_SECOND = 100L * 1024 * 1024;
    public static final long COUNT_BYTES_PER_SECOND = 400L * 1024 * 1024;
    public static final long HASH_BYTES_PER_SECOND = 100L * 1024 * 1024;
    public static final double SCHEMA_SECONDS_PER_RELATION = 0.004;
    public static final double LINK_SECONDS_PER_RELATION = 0.0005;

    private final SourceFacts source;

    public Estimator(SourceFacts source) {
        this.source = source;
    }

    public List<String> assumptions() {
        return List.of(
                "pg_upgrade: 20 s fixed + " + (int) (SCHEMA_SECONDS_PER_RELATION * 1000)
                        + " ms per relation for the schema dump and restore",
                "--link/--swap/--clone: + " + LINK_SECONDS_PER_RELATION * 1000 + " ms per relation for the file transfer;"
                        + " --copy: " + COPY_BYTES_PER_SECOND / (1024 * 1024) + " MiB/s",
                "exact row counts: " + COUNT_BYTES_PER_SECOND / (1024 * 1024) + " MiB/s of table data, divided over the jobs;"
                        + " data fingerprints: " + HASH_BYTES_PER_SECOND / (1024 * 1024) + " MiB/s per job, half as"
                        + " long again for the baseline's (it also hashes key ranges)",
                "stopping the old cluster: 30 s (a checkpoint runs just before it)",
                "sizes and relation counts as inspected: " + source.totalSizeBytes() + " bytes, "
                        + source.totalRelations() + " relations");
    }

    public Duration pgUpgradeCheck() {
        return seconds(15 + SCHEMA_SECONDS_PER_RELATION * source.totalRelations() / 2);
    }

    /** A new copy of the primary on a standby's host (pg_basebackup over the network). */
    public Duration standbyClone() {
        return seconds(10 + source.totalSizeBytes() / (double) NETWORK_BYTES_PER_SECOND);
    }

    public Duration initdb() {
        return Duration.ofSeconds(10);
    }

    public Duration pgUpgrade(UpgradeMode mode, int jobs) {
        double schema = 20 + SCHEMA_SECONDS_PER_RELATION * source.totalRelations();
        double transfer = mode == UpgradeMode.COPY
                ? (double) source.totalSizeBytes() / COPY_BYTES_PER_SECOND / Math.max(1, jobs)
                : LINK_SECONDS_PER_RELATION * source.totalRelations();
        return seconds(schema + transfer);
    }

    public Duration rowCounts(RowCountMode mode, int jobs) {
        return switch (mode) {
            case OFF -> Duration.ZERO;
            case FAST -> seconds(2 + 0.001 * source.totalRelations());
            case EXACT -> seconds(2 + (double) source.totalSizeBytes() / COUNT_BYTES_PER_SECOND / Math.max(1, jobs));
        };
    }

    /** The schema inventory of every database (one catalog query per object kind): 1.5 ms per relation. */
    public Duration schemaCapture() {
        return seconds(2 + 0.0015 * source.totalRelations());
    }

    /** Data fingerprints: every table's rows hashed in the server, 100 MiB/s of table data per job. */
    public Duration fingerprints(int jobs) {
        return seconds(2 + (double) source.totalSizeBytes() / HASH_BYTES_PER_SECOND / Math.max(1, jobs));
    }

    /** The baseline's fingerprints also hash each table per key range: about 1.5 times the CPU (bench/verify-hash.sh). */
    public Duration baselineFingerprints(int jobs) {
        return fingerprints(jobs).multipliedBy(3).dividedBy(2);
    }

    public Duration stop() {
        return Duration.ofSeconds(30);
    }

    public Duration start() {
        return Duration.ofSeconds(10);
    }

    public Duration analyzeMissing() {
        return seconds(5 + 0.001 * source.totalRelations());
    }

    public Duration analyzeAll(int jobs) {
        return seconds(10 + (double) source.totalSizeBytes() / COUNT_BYTES_PER_SECOND / Math.max(1, jobs));
    }

    /** Rounded up to whole seconds so that plans stay stable. */
    public static Duration seconds(double s) {
        return Duration.ofSeconds((long) Math.ceil(s));
    }
}
