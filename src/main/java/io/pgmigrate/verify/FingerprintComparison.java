package io.pgmigrate.verify;

import io.pgmigrate.verify.FingerprintCheck.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Compares the fingerprints of two clusters table by table (pure). */
public final class FingerprintComparison {
    private FingerprintComparison() {
    }

    /** One check per table fingerprinted on either side, sorted by table. */
    public static List<FingerprintCheck> compare(List<TableFingerprint> before, List<TableFingerprint> after,
                                                 HashSelfTest.Outcome selfTest) {
        Map<TableRef, TableFingerprint> b = byTable(before);
        Map<TableRef, TableFingerprint> a = byTable(after);
        TreeMap<TableRef, Boolean> all = new TreeMap<>();
        b.keySet().forEach(t -> all.put(t, true));
        a.keySet().forEach(t -> all.put(t, true));
        List<FingerprintCheck> out = new ArrayList<>();
        for (TableRef t : all.keySet()) {
            out.add(check(t, b.get(t), a.get(t), selfTest));
        }
        return out;
    }

    static FingerprintCheck check(TableRef t, TableFingerprint before, TableFingerprint after,
                                  HashSelfTest.Outcome selfTest) {
        if (after == null) {
            return new FingerprintCheck(t, Verdict.MISSING_AFTER, before, null,
                    "missing after (" + before.rows() + " rows before)");
        }
        if (before == null) {
            return new FingerprintCheck(t, Verdict.NEW_AFTER, null, after,
                    "not fingerprinted before (" + after.rows() + " rows after)");
        }
        if (!before.columns().equals(after.columns())) {
            return new FingerprintCheck(t, Verdict.NOT_COMPARABLE, before, after,
                    "columns differ between the clusters (see the schema comparison): fingerprints not comparable");
        }
        if (before.rows() != after.rows()) {
            return new FingerprintCheck(t, Verdict.DIFFERENT, before, after,
                    after.rows() + " rows after, " + before.rows() + " before");
        }
        if (before.hash().equals(after.hash())) {
            return new FingerprintCheck(t, Verdict.SAME, before, after, "same " + after.rows() + " rows");
        }
        if (!selfTest.trusted()) {
            return new FingerprintCheck(t, Verdict.NOT_TRUSTED, before, after,
                    "same " + after.rows() + " rows, fingerprint differs, but " + selfTest.detail());
        }
        return new FingerprintCheck(t, Verdict.DIFFERENT, before, after,
                "same " + after.rows() + " rows, but their contents differ");
    }

    private static Map<TableRef, TableFingerprint> byTable(List<TableFingerprint> list) {
        return list.stream().collect(Collectors.toMap(TableFingerprint::table, Function.identity(), (x, y) -> {
            throw new IllegalArgumentException("table " + x.table() + " fingerprinted twice");
        }, TreeMap::new));
    }
}
