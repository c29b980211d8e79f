package io.pgmigrate.pg;

/**
 * What verification's data fingerprints need from a server: {@code hash_record_extended} (a row hashed in the server)
 * and TID range scans (a table read in block slices), both new in PostgreSQL 14. On an older server the data is
 * compared by row counts only.
 */
public final class DataFingerprints {
    /** The first major version that can fingerprint. */
    public static final int MIN_MAJOR = 14;

    private DataFingerprints() {
    }

    /** Whether a server of this major version can compute data fingerprints. */
    public static boolean available(int major) {
        return major >= MIN_MAJOR;
    }
}
