package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Two live clusters whose fingerprints differ: each differing table (up to {@link #MAX_TABLES}) is
 * bisected by its key on both ({@link KeyBisection}) and the report names its differing rows' keys.
 */
public final class LiveNarrowing {
    /** Tables narrowed down at most; the rest are named by the fingerprint check only. */
    static final int MAX_TABLES = 10;

    private LiveNarrowing() {
    }

    /** The tables narrowed down, and how many differed in all. */
    public record Result(List<Narrowing> narrowed, int differing) {
        /** One note per narrowed table: its differing rows by key, or why it could not be narrowed. */
        public List<String> notes() {
            List<String> out = new ArrayList<>();
            narrowed.forEach(n -> out.add(describe(n)));
            if (differing > narrowed.size()) {
                out.add((differing - narrowed.size()) + " more differing table(s) not narrowed down (at most "
                        + MAX_TABLES + " are)");
            }
            return out;
        }
    }

    /**
     * Narrows every table whose data differs (its row count, or its hash while the servers' hash
     * self-test agrees) between the snapshots; {@code before} and {@code after} open sessions to the
     * two clusters' databases by name.
     */
    public static Result narrow(ClusterSnapshot source, ClusterSnapshot target,
                                Function<String, SqlSession> before, Function<String, SqlSession> after) {
        if (source.hashSelfTest() == null || target.hashSelfTest() == null) {
            return new Result(List.of(), 0);
        }
        HashSelfTest.Outcome trust = HashSelfTest.compare(source.hashSelfTest(), target.hashSelfTest());
        List<Narrowing> out = new ArrayList<>();
        int differing = 0;
        for (FingerprintCheck c : FingerprintComparison.compare(source.fingerprints(), target.fingerprints(), trust)) {
            if (c.verdict() != FingerprintCheck.Verdict.DIFFERENT || c.before() == null || c.after() == null) {
                continue;
            }
            if (++differing > MAX_TABLES) {
                continue;
            }
            String db = c.table().database();
            try (SqlSession b = before.apply(db); SqlSession a = after.apply(db)) {
                out.add(KeyBisection.narrow(Fingerprinter.on(b), Fingerprinter.on(a), c.table(), KeyBisection.DEFAULT_ROWS));
            }
        }
        return new Result(out, differing);
    }

    /** {@code db shop: public.orders: differing rows by key (id): (7) missing on the target, (300) changed}. */
    static String describe(Narrowing n) {
        if (n.notNarrowed() != null) {
            return n.table() + ": not narrowed down to rows: " + n.notNarrowed();
        }
        if (n.rows().isEmpty()) {
            return n.table() + ": bisection by key (" + String.join(", ", n.keyColumns()) + ") found no differing row"
                    + " (the data changed while it ran?)";
        }
        String rows = n.rows().stream().map(r -> "(" + String.join(", ", r.key()) + ") " + switch (r.change()) {
            case MISSING_AFTER -> "missing on the target";
            case ADDED_AFTER -> "only on the target";
            case CHANGED -> "changed";
        }).collect(Collectors.joining(", "));
        return n.table() + ": differing rows by key (" + String.join(", ", n.keyColumns()) + "): " + rows
                + (n.more() ? ", and more" : "") + " (" + n.queries() + " queries)";
    }
}
