package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.verify.TableCatalog.TableInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Row counts of every table of every database, over {@code jobs} connections at once, largest tables
 * first so that the last one to finish is a small one; small tables are counted a hundred to a query
 * (one round trip for many tiny tables: thousands of them are common), and a large table is cut into
 * block slices (TID range scans, PostgreSQL 14 and later) so that every connection shares its work
 * instead of one counting it alone. Exact ({@code count(*)}) by default; in fast mode tables at or above
 * a size threshold take the planner's estimate instead, labelled as such.
 */
public final class RowCounter {
    /** @param fastAboveBytes null: exact everywhere; else tables of at least this size are estimated */
    public record Options(int jobs, Long fastAboveBytes) {
        public static Options exact(int jobs) {
            return new Options(jobs, null);
        }
    }

    /** @param exact false: the planner's estimate ({@code reltuples}), not a count */
    public record RowCount(TableRef table, String kind, boolean unlogged, long rows, boolean exact, long millis) {
    }

    /**
     * What one worker takes from the queue: small tables of one database (counted in one query), or one
     * table alone, whole or one block slice of it.
     */
    record Work(List<TableInfo> tables, BlockRange range) {
        static Work whole(TableInfo t) {
            return new Work(List.of(t), BlockRange.WHOLE);
        }
    }

    /** Tables below this size are counted in batches of {@link #BATCH} per query. */
    static final long SMALL_TABLE_BYTES = 8L << 20;
    static final int BATCH = 100;
    /** Large tables are counted in slices of about this many blocks (128 MiB of 8 kB blocks). */
    static final long SLICE_PAGES = 16_384;
    /** TID range scans, which make a block slice cost only its own blocks, came with PostgreSQL 14. */
    private static final long TID_RANGE_SCAN_SINCE = 140_000;

    private final Function<String, SqlSession> connect;
    private final Options options;
    private final Consumer<String> progress;
    private final long smallTableBytes;
    private final long slicePages;

    public RowCounter(Function<String, SqlSession> connect, Options options, Consumer<String> progress) {
        this(connect, options, progress, SMALL_TABLE_BYTES, SLICE_PAGES);
    }

    /** With other size thresholds: tests slice tables of a few blocks. */
    RowCounter(Function<String, SqlSession> connect, Options options, Consumer<String> progress, long smallTableBytes,
               long slicePages) {
        this.connect = connect;
        this.options = options;
        this.progress = progress;
        this.smallTableBytes = smallTableBytes;
        this.slicePages = slicePages;
    }

    /** Counts the tables of the given databases; the result is sorted by table. */
    public List<RowCount> count(List<String> databases) {
        ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
        CountDownLatch listed = new CountDownLatch(1);
        AtomicReference<Tally> tally = new AtomicReference<>();
        int workers = Math.max(1, options.jobs());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "pgmigrate-count");
            t.setDaemon(true);
            return t;
        });
        try {
            // the workers connect to the first database while the tables are listed, then take work
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                futures.add(pool.submit(() -> work(databases.get(0), listed, queue, tally)));
            }
            try {
                List<TableInfo> tables = new ArrayList<>();
                long version = 0;
                for (String db : databases) {
                    try (SqlSession s = connect.apply(db)) {
                        if (version == 0) {
                            version = s.query("SHOW server_version_num").get(0).getLong("server_version_num");
                        }
                        tables.addAll(TableCatalog.list(s));
                    }
                }
                List<Work> items = workItems(tables, options, smallTableBytes,
                        workers > 1 && version >= TID_RANGE_SCAN_SINCE ? slicePages : 0);
                tally.set(new Tally(tables.size(), items));
                queue.addAll(items);
            } finally {
                listed.countDown();
            }
            for (Future<?> f : futures) {
                await(f, queue);
            }
        } finally {
            pool.shutdownNow();
        }
        List<RowCount> sorted = new ArrayList<>(tally.get().counted);
        sorted.sort(Comparator.comparing(RowCount::table));
        return sorted;
    }

    /** One worker: its own session per database, work taken from the shared queue once the tables are listed. */
    private void work(String firstDatabase, CountDownLatch listed, ConcurrentLinkedQueue<Work> queue,
                      AtomicReference<Tally> tally) {
        Map<String, SqlSession> sessions = new HashMap<>();
        try {
            sessions.put(firstDatabase, connect.apply(firstDatabase));
            listed.await();
            for (Work item = queue.poll(); item != null; item = queue.poll()) {
                if (item.tables().size() == 1) {
                    tally.get().add(count(item.tables().get(0), item.range(), sessions));
                } else {
                    count(item.tables(), sessions).forEach(tally.get()::add);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sessions.values().forEach(SqlSession::close);
        }
    }

    /**
     * What the workers take from the queue, largest first: every table that is large (or estimated) alone,
     * cut into slices of about {@code slicePages} blocks when that is not 0, then the small ones of each
     * database in batches.
     */
    static List<Work> workItems(List<TableInfo> tables, Options options, long smallTableBytes, long slicePages) {
        List<TableInfo> sorted = new ArrayList<>(tables);
        sorted.sort(Comparator.comparingLong(TableInfo::bytes).reversed());
        List<Work> items = new ArrayList<>();
        Map<String, List<TableInfo>> small = new java.util.LinkedHashMap<>();
        for (TableInfo t : sorted) {
            if (estimated(t, options)) {
                items.add(Work.whole(t));
            } else if (t.bytes() >= smallTableBytes) {
                BlockRange.slices(t.pages(), slicePages).forEach(r -> items.add(new Work(List.of(t), r)));
            } else {
                List<TableInfo> batch = small.computeIfAbsent(t.table().database(), db -> new ArrayList<>());
                batch.add(t);
                if (batch.size() == BATCH) {
                    items.add(new Work(List.copyOf(batch), BlockRange.WHOLE));
                    batch.clear();
                }
            }
        }
        small.values().stream().filter(b -> !b.isEmpty())
                .forEach(b -> items.add(new Work(List.copyOf(b), BlockRange.WHOLE)));
        return items;
    }

    private boolean estimated(TableInfo t) {
        return estimated(t, options);
    }

    private static boolean estimated(TableInfo t, Options options) {
        return options.fastAboveBytes() != null && t.bytes() >= options.fastAboveBytes() && t.estimatedRows() >= 0;
    }

    /** Small tables of one database, one query: {@code SELECT 0 AS i, count(*) FROM a UNION ALL SELECT 1, …}. */
    private List<RowCount> count(List<TableInfo> batch, Map<String, SqlSession> sessions) {
        SqlSession s = sessions.computeIfAbsent(batch.get(0).table().database(), connect);
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(" AS i, count(*) AS n FROM ONLY ")
                    .append(batch.get(i).table().sql());
        }
        Instant start = Instant.now();
        List<io.pgmigrate.transport.SqlRow> rows = s.query(sql.toString());
        long millis = Duration.between(start, Instant.now()).toMillis();
        List<RowCount> out = new ArrayList<>();
        for (io.pgmigrate.transport.SqlRow r : rows) {
            TableInfo t = batch.get((int) r.getLong("i"));
            out.add(new RowCount(t.table(), t.kind(), t.unlogged(), r.getLong("n"), true, millis));
        }
        return out;
    }

    /** One table, or one slice of it: the rows of the slice and the time it took. */
    private RowCount count(TableInfo t, BlockRange range, Map<String, SqlSession> sessions) {
        if (estimated(t)) {
            return new RowCount(t.table(), t.kind(), t.unlogged(), t.estimatedRows(), false, 0);
        }
        SqlSession s = sessions.computeIfAbsent(t.table().database(), connect);
        Instant start = Instant.now();
        long rows = s.query("SELECT count(*) AS n FROM ONLY " + t.table().sql() + range.condition()).get(0).getLong("n");
        return new RowCount(t.table(), t.kind(), t.unlogged(), rows, true,
                Duration.between(start, Instant.now()).toMillis());
    }

    private static void await(Future<?> f, ConcurrentLinkedQueue<Work> queue) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.clear();
            throw new IllegalStateException("interrupted while counting rows", e);
        } catch (ExecutionException e) {
            queue.clear(); // the other workers stop after their current query
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The counts as they come in: a table's slices are added up, and the table is counted once its last
     * slice is in. A progress line at most every two seconds, and one at the end.
     */
    private final class Tally {
        private final int total;
        private final Map<TableRef, Integer> slicesLeft = new HashMap<>();
        private final Map<TableRef, RowCount> partial = new HashMap<>();
        final List<RowCount> counted = new ArrayList<>();
        private Instant last = Instant.now();

        Tally(int total, List<Work> items) {
            this.total = total;
            for (Work w : items) {
                if (!w.range().whole()) {
                    slicesLeft.merge(w.tables().get(0).table(), 1, Integer::sum);
                }
            }
        }

        synchronized void add(RowCount part) {
            Integer left = slicesLeft.get(part.table());
            RowCount sum = part;
            if (left != null) {
                RowCount before = partial.remove(part.table());
                if (before != null) {
                    sum = new RowCount(part.table(), part.kind(), part.unlogged(), before.rows() + part.rows(),
                            true, before.millis() + part.millis());
                }
                if (left > 1) {
                    slicesLeft.put(part.table(), left - 1);
                    partial.put(part.table(), sum);
                    return;
                }
                slicesLeft.remove(part.table());
            }
            counted.add(sum);
            Instant now = Instant.now();
            if (counted.size() == total || Duration.between(last, now).toMillis() >= 2000) {
                last = now;
                progress.accept("counted " + counted.size() + " of " + total + " tables");
            }
        }
    }
}
