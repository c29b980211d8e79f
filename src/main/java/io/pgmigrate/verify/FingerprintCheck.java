package io.pgmigrate.verify;

/**
 * The comparison of one table's fingerprints before and after.
 *
 * @param before null when the table was not fingerprinted before (new)
 * @param after  null when it is missing after
 * @param detail one line for the report
 */
public record FingerprintCheck(TableRef table, Verdict verdict, TableFingerprint before, TableFingerprint after,
                               String detail) {
    public enum Verdict {
        /** Same row count and hash over the same columns. */
        SAME,
        /** The row count or (with a trusted self-test) the hash differs: the data differs. */
        DIFFERENT,
        /** Same row count, different hash, but the servers failed the hash self-test. */
        NOT_TRUSTED,
        /** The hashed columns differ (the schema comparison names how): no data verdict. */
        NOT_COMPARABLE,
        /** Fingerprinted before, not after. */
        MISSING_AFTER,
        /** Fingerprinted after only. */
        NEW_AFTER;

        /** Whether this verdict fails the verification. */
        public boolean fails() {
            return this == DIFFERENT || this == MISSING_AFTER;
        }
    }
}
