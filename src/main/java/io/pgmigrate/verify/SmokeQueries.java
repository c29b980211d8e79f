package io.pgmigrate.verify;

import io.pgmigrate.inventory.Inventory.SmokeQuery;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The inventory's smoke queries, run on one cluster: in a read-only session with the settings that change
 * how values print pinned (so that results compare across versions), three times for a stable timing,
 * with the plan the server chose. Only a digest of the rows and a few sample rows are kept.
 */
public final class SmokeQueries {
    private static final int RUNS = 3;
    private static final int SAMPLE_ROWS = 5;

    /**
     * @param rows       how many rows it returned
     * @param digest     SHA-256 of every row's values in order
     * @param sample     the first rows, readable: {@code (1, paid, NULL)}
     * @param bestMillis the fastest of three runs
     * @param explain    the server's plan ({@code EXPLAIN}), for a slowdown
     * @param error      the server's message when the query failed, else null
     */
    public record SmokeResult(String name, String database, long rows, String digest, List<String> sample,
                              long bestMillis, String explain, String error) {
    }

    private SmokeQueries() {
    }

    public static List<SmokeResult> run(List<SmokeQuery> queries, Function<String, SqlSession> connect) {
        return queries.stream().map(q -> {
            try (SqlSession s = connect.apply(q.database())) {
                return run(s, q);
            }
        }).toList();
    }

    static SmokeResult run(SqlSession s, SmokeQuery q) {
        PinnedSettings.applyForUserQueries(s);
        s.execute("SET jit = off"); // no compile time in one run and not the next: steadier timings
        List<SqlRow> rows = null;
        long best = Long.MAX_VALUE;
        try {
            for (int i = 0; i < RUNS; i++) {
                Instant start = Instant.now();
                rows = s.query(q.sql());
                best = Math.min(best, Duration.between(start, Instant.now()).toMillis());
            }
            String explain = String.join("\n", s.query("EXPLAIN " + q.sql()).stream()
                    .map(r -> r.values().values().iterator().next()).toList());
            List<String> text = rows.stream().map(SmokeQueries::rowText).toList();
            List<String> sample = rows.subList(0, Math.min(SAMPLE_ROWS, rows.size())).stream()
                    .map(r -> "(" + String.join(", ", r.values().values().stream()
                            .map(v -> v == null ? "NULL" : v).toList()) + ")").toList();
            return new SmokeResult(q.name(), q.database(), rows.size(), digest(text), sample, best, explain, null);
        } catch (TransportException e) {
            return new SmokeResult(q.name(), q.database(), 0, null, List.of(), 0, null, e.getMessage());
        }
    }

    /** A row as unambiguous text: each value with its length, SQL NULL as {@code N}. */
    static String rowText(SqlRow row) {
        StringBuilder b = new StringBuilder();
        for (String v : row.values().values()) {
            b.append(v == null ? "N" : v.length() + ":" + v).append(' ');
        }
        return b.toString().strip();
    }

    static String digest(List<String> rows) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String row : rows) {
                md.update(row.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
