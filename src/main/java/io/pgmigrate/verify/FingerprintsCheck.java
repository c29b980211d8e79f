package io.pgmigrate.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-table data fingerprints before and after, as one check of the report: a table whose rows differ
 * (count or hash, with the servers' hash self-test agreeing) or that is missing fails it; hashes that
 * cannot be trusted across the two servers, or tables whose hashed columns changed, are listed as notes.
 * Against a stored baseline the old cluster is gone, so the differing rows cannot be narrowed down here
 * (at most to key ranges, {@link BaselineNarrowing}); between two live clusters they are ({@link LiveNarrowing}).
 */
final class FingerprintsCheck {
    static final String NAME = "data fingerprints";

    private FingerprintsCheck() {
    }

    static CheckResult compare(List<TableFingerprint> before, List<TableFingerprint> after,
                               HashSelfTest.Result selfTestBefore, HashSelfTest.Result selfTestAfter) {
        return compare(before, after, selfTestBefore, selfTestAfter, null);
    }

    /** The checks with the data fingerprints check (when there is one) redone with notes on where tables differ. */
    static List<CheckResult> withNarrowing(List<CheckResult> checks, ClusterSnapshot before, ClusterSnapshot after,
                                           List<String> narrowed) {
        return checks.stream().map(c -> c.check().equals(NAME) && c.verdict() != CheckResult.Verdict.SKIPPED
                && c.verdict() != CheckResult.Verdict.PENDING ? compare(before.fingerprints(), after.fingerprints(),
                before.hashSelfTest(), after.hashSelfTest(), narrowed) : c).toList();
    }

    /**
     * @param narrowed where the differing tables were narrowed down to (rows, or key ranges), one note each;
     *                 null when nothing was attempted (a stored baseline: the old cluster is gone)
     */
    static CheckResult compare(List<TableFingerprint> before, List<TableFingerprint> after,
                               HashSelfTest.Result selfTestBefore, HashSelfTest.Result selfTestAfter,
                               List<String> narrowed) {
        if (selfTestBefore == null || selfTestAfter == null) {
            return CheckResult.skipped("data fingerprints", "not measured on both sides");
        }
        HashSelfTest.Outcome trust = HashSelfTest.compare(selfTestBefore, selfTestAfter);
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long rows = 0;
        int same = 0;
        for (FingerprintCheck c : FingerprintComparison.compare(before, after, trust)) {
            if (c.verdict() == FingerprintCheck.Verdict.SAME) {
                same++;
                rows += c.before().rows();
            } else if (c.verdict().fails()) {
                failures.add(c.table() + ": " + c.detail());
            } else {
                notes.add(c.table() + ": " + c.detail());
            }
        }
        if (!trust.trusted()) {
            notes.add("the hash self-test differs between the servers (" + trust.detail() + "): equal row counts"
                    + " with different hashes are not counted as differences");
        }
        if (narrowed != null) {
            notes.addAll(narrowed);
        } else if (!failures.isEmpty()) {
            notes.add("the old cluster is not running any more, so the differing rows cannot be named against this"
                    + " baseline; pgmigrate verify PLAN names the key ranges that differ, and a restored backup of the"
                    + " old cluster compared with the new one (pgmigrate verify --live) the rows");
        }
        String summary = same + " tables (" + rows + " rows) with the same data"
                + (failures.isEmpty() ? "" : ", " + failures.size() + " differ");
        return CheckResult.of(NAME, summary, failures, List.of(), notes);
    }
}
