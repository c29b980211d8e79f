package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.verify.Bisection.Bucket;
import io.pgmigrate.verify.Bisection.KeyedRow;
import io.pgmigrate.verify.TableShape.KeyColumn;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Narrows a fingerprint difference down to rows, on two live clusters: the key range is cut into
 * {@link #FANOUT} buckets at boundaries taken from the side with more rows, the buckets'
 * fingerprints are compared, and only differing buckets are cut further, until a bucket is small
 * enough ({@link #LEAF_ROWS}) to compare its rows' keys and hashes directly. Every bucket that
 * differs holds at least one differing row, so no more buckets are followed than rows are wanted.
 * Rows are matched by the primary key (or a unique index over NOT NULL columns); a table without
 * one is not narrowed.
 */
public final class KeyBisection {
    public static final int DEFAULT_ROWS = 10;
    static final int FANOUT = 16;
    static final long LEAF_ROWS = 1_000;
    private static final int MAX_DEPTH = 64;

    private final Fingerprinter before;
    private final Fingerprinter after;
    private int queries;

    private record Pending(KeyRange range, long rowsBefore, long rowsAfter, int depth) {
    }

    private KeyBisection(Fingerprinter before, Fingerprinter after) {
        this.before = before;
        this.after = after;
    }

    /** Up to {@code maxRows} differing rows of {@code table} between the two clusters. */
    public static Narrowing narrow(Fingerprinter before, Fingerprinter after, TableRef table, int maxRows) {
        return new KeyBisection(before, after).run(table, maxRows);
    }

    private Narrowing run(TableRef table, int maxRows) {
        long start = System.nanoTime();
        TableShape b = before.shape(table);
        TableShape a = after.shape(table);
        String why = whyNot(b, a);
        if (why != null) {
            return Narrowing.not(table, why, since(start));
        }
        List<DifferingRow> found = new ArrayList<>();
        boolean more = false;
        Deque<Pending> queue = new ArrayDeque<>();
        List<Bucket> whole = buckets(before, b, KeyRange.ALL, List.of());
        List<Bucket> wholeAfter = buckets(after, a, KeyRange.ALL, List.of());
        queue.add(new Pending(KeyRange.ALL, rows(whole, 0), rows(wholeAfter, 0), 0));
        while (!queue.isEmpty()) {
            if (found.size() >= maxRows) {
                more = true;
                break;
            }
            Pending p = queue.poll();
            if (Math.max(p.rowsBefore(), p.rowsAfter()) <= LEAF_ROWS || p.depth() >= MAX_DEPTH) {
                List<DifferingRow> diff = Bisection.rows(keyedRows(before, b, p.range()), keyedRows(after, a, p.range()));
                found.addAll(diff);
                continue;
            }
            boolean beforeLarger = p.rowsBefore() >= p.rowsAfter();
            long step = Bisection.step(Math.max(p.rowsBefore(), p.rowsAfter()), FANOUT);
            List<List<String>> bounds = boundaries(beforeLarger ? before : after, b, p.range(), step);
            List<Bucket> x = buckets(before, b, p.range(), bounds);
            List<Bucket> y = buckets(after, a, p.range(), bounds);
            for (int i : Bisection.differing(x, y)) {
                if (queue.size() >= maxRows) {
                    more = true;
                    break;
                }
                queue.add(new Pending(Bisection.bucketRange(p.range(), bounds, i), rows(x, i), rows(y, i), p.depth() + 1));
            }
        }
        if (found.size() > maxRows) {
            more = true;
        }
        List<String> keyColumns = b.key().columns().stream().map(KeyColumn::name).toList();
        return new Narrowing(table, keyColumns, found.subList(0, Math.min(maxRows, found.size())), more, null,
                queries, since(start));
    }

    /** Why the table cannot be narrowed, or null. */
    static String whyNot(TableShape before, TableShape after) {
        if (!before.columnsDigest().equals(after.columnsDigest())) {
            return "its columns differ between the clusters";
        }
        if (!before.key().exists() || !after.key().exists()) {
            return "it has no primary key or unique index over NOT NULL columns on "
                    + (before.key().exists() ? "the new cluster" : "the old cluster")
                    + ", so its rows cannot be matched between the clusters (ctid differs after a copy)";
        }
        if (!before.key().columns().equals(after.key().columns())) {
            return "its key differs between the clusters (" + before.key().name() + " and " + after.key().name() + ")";
        }
        return null;
    }

    private static long rows(List<Bucket> buckets, int index) {
        return buckets.stream().filter(x -> x.index() == index).mapToLong(Bucket::rows).sum();
    }

    private List<Bucket> buckets(Fingerprinter f, TableShape shape, KeyRange range, List<List<String>> bounds) {
        queries++;
        return f.session().query(KeyRangeSql.buckets(shape, range, bounds)).stream()
                .map(r -> new Bucket(Integer.parseInt(r.get("b")), r.getLong("rows"), r.get("hash"))).toList();
    }

    private List<List<String>> boundaries(Fingerprinter f, TableShape shape, KeyRange range, long step) {
        queries++;
        int n = shape.key().columns().size();
        return f.session().query(KeyRangeSql.boundaries(shape, range, step)).stream()
                .map(r -> key(r, n)).toList();
    }

    private List<KeyedRow> keyedRows(Fingerprinter f, TableShape shape, KeyRange range) {
        queries++;
        int n = shape.key().columns().size();
        return f.session().query(KeyRangeSql.rows(shape, range)).stream()
                .map(r -> new KeyedRow(key(r, n), r.get("h"))).toList();
    }

    private static List<String> key(SqlRow r, int n) {
        return IntStream.range(0, n).mapToObj(i -> r.get("k" + i)).toList();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
