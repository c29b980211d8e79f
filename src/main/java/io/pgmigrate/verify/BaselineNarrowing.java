package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A stored baseline against the new cluster, where the old cluster is gone: a table whose fingerprint
 * differs is measured again on the new cluster over the key ranges the baseline recorded
 * ({@link KeyBuckets}), and the report names the ranges whose rows or hash differ. Which rows in a range
 * differ cannot be known without the old data; the report says so.
 */
public final class BaselineNarrowing {
    /** Tables narrowed at most; ranges named per table at most. */
    static final int MAX_TABLES = 10;
    static final int MAX_RANGES = 5;

    private BaselineNarrowing() {
    }

    /** The differing tables' ranges, one note per table (and one on what the ranges can tell). */
    public record Result(List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Narrows the tables whose data differs between the baseline and the new cluster's snapshot;
     * {@code connect} opens sessions to the new cluster's databases. Null when no table differs (nothing to
     * add to the report).
     */
    public static Result narrow(ClusterSnapshot baseline, ClusterSnapshot now, Function<String, SqlSession> connect) {
        if (baseline.hashSelfTest() == null || now.hashSelfTest() == null || baseline.fingerprints() == null
                || now.fingerprints() == null) {
            return null;
        }
        HashSelfTest.Outcome trust = HashSelfTest.compare(baseline.hashSelfTest(), now.hashSelfTest());
        List<String> notes = new ArrayList<>();
        int differing = 0;
        for (FingerprintCheck c : FingerprintComparison.compare(baseline.fingerprints(), now.fingerprints(), trust)) {
            if (c.verdict() != FingerprintCheck.Verdict.DIFFERENT || c.before() == null || c.after() == null) {
                continue;
            }
            if (++differing > MAX_TABLES) {
                continue;
            }
            KeyBuckets before = c.before().buckets();
            if (before == null) {
                notes.add(c.table() + ": not narrowed to key ranges: the baseline has none for it (no primary key"
                        + " or unique NOT NULL key of a type cut into ranges, or fewer than "
                        + 2 * Fingerprinter.ROWS_PER_BUCKET + " rows)");
                continue;
            }
            try (SqlSession s = connect.apply(c.table().database())) {
                notes.add(describe(c.table(), before, measure(Fingerprinter.on(s), c.table(), before)));
            }
        }
        if (differing == 0) {
            return null;
        }
        if (differing > MAX_TABLES) {
            notes.add((differing - MAX_TABLES) + " more differing table(s) not narrowed (at most " + MAX_TABLES + " are)");
        }
        notes.add("the old cluster is not running any more, so only the key ranges holding differences can be named,"
                + " not the rows: which keys in them changed cannot be known without the old data (compare a restored"
                + " backup of the old cluster with the new one: pgmigrate verify --live names the rows)");
        return new Result(notes);
    }

    /** The report with its data fingerprints check naming the differing key ranges; unchanged when r is null. */
    public static VerificationReport into(VerificationReport report, ClusterSnapshot baseline, ClusterSnapshot now,
                                          Result r) {
        if (r == null) {
            return report;
        }
        return new VerificationReport(report.plan(), report.planDigest(), report.createdAt(), report.oldVersion(),
                report.newVersion(), report.baselineTakenAt(), report.baselineMillis(), report.verifyMillis(),
                report.outage(), FingerprintsCheck.withNarrowing(report.checks(), baseline, now, r.notes()),
                report.untilHighlyAvailable());
    }

    /** The new cluster's rows over the baseline's ranges, or null when the table's key column changed. */
    private static KeyBuckets measure(Fingerprinter f, TableRef table, KeyBuckets before) {
        TableShape shape = f.shape(table);
        if (!before.column().equals(KeyBucketSql.column(shape))) {
            return null;
        }
        return f.fingerprint(shape, BlockRange.WHOLE, before).buckets();
    }

    /**
     * {@code db shop: public.orders: differs in key range(s) id [4000, 4312) (312 rows before, 311 now), …}.
     */
    static String describe(TableRef table, KeyBuckets before, KeyBuckets now) {
        if (now == null) {
            return table + ": not narrowed to key ranges: its key column " + before.column().name()
                    + " differs on the new cluster";
        }
        List<Integer> differ = Bisection.differing(before.forBisection(), now.forBisection());
        if (differ.isEmpty()) {
            return table + ": its key ranges (" + before.column().name() + ") all match now: the data changed while"
                    + " the new cluster was measured?";
        }
        String ranges = differ.stream().limit(MAX_RANGES).map(i -> before.range(i) + " ("
                + before.bucket(i).rows() + " rows before, " + now.bucket(i).rows() + " now)")
                .collect(Collectors.joining(", "));
        return table + ": differs in " + differ.size() + " of " + (before.bounds().size() + 1) + " key ranges: "
                + ranges + (differ.size() > MAX_RANGES ? ", and " + (differ.size() - MAX_RANGES) + " more" : "");
    }
}
