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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Row counts of every table of every database, over {@code jobs} connections at once, largest tables
 * first so that the last one to finish is a small one; small tables are counted a hundred to a query
 * (one round trip for many tiny tables: thousands of them are common). Exact ({@code count(*)}) by
 * default; in fast mode tables at or above a size threshold take the planner's estimate instead,
 * labelled as such.
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

    /** Tables below this size are counted in batches of {@link #BATCH} per query. */
    static final long SMALL_TABLE_BYTES = 8L << 20;
    static final int BATCH = 100;

    private final Function<String, SqlSession> connect;
    private final Options options;
    private final Consumer<String> progress;

    public RowCounter(Function<String, SqlSession> connect, Options options, Consumer<String> progress) {
        this.connect = connect;
        this.options = options;
        this.progress = progress;
    }

    /** Counts the tables of the given databases; the result is sorted by table. */
    public List<RowCount> count(List<String> databases) {
        ConcurrentLinkedQueue<List<TableInfo>> queue = new ConcurrentLinkedQueue<>();
        CountDownLatch listed = new CountDownLatch(1);
        List<RowCount> out = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Progress> report = new AtomicReference<>();
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
                futures.add(pool.submit(() -> work(databases.get(0), listed, queue, out, done, report)));
            }
            try {
                List<TableInfo> tables = new ArrayList<>();
                for (String db : databases) {
                    try (SqlSession s = connect.apply(db)) {
                        tables.addAll(TableCatalog.list(s));
                    }
                }
                report.set(new Progress(tables.size()));
                queue.addAll(workItems(tables, options));
            } finally {
                listed.countDown();
            }
            for (Future<?> f : futures) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }
        List<RowCount> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(RowCount::table));
        return sorted;
    }

    /** One worker: its own session per database, work taken from the shared queue once the tables are listed. */
    private void work(String firstDatabase, CountDownLatch listed, ConcurrentLinkedQueue<List<TableInfo>> queue,
                      List<RowCount> out, AtomicInteger done, AtomicReference<Progress> report) {
        Map<String, SqlSession> sessions = new HashMap<>();
        try {
            sessions.put(firstDatabase, connect.apply(firstDatabase));
            listed.await();
            for (List<TableInfo> item = queue.poll(); item != null; item = queue.poll()) {
                List<RowCount> counted = item.size() == 1 ? List.of(count(item.get(0), sessions)) : count(item, sessions);
                out.addAll(counted);
                report.get().tick(done.addAndGet(counted.size()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sessions.values().forEach(SqlSession::close);
        }
    }

    /**
     * What the workers take from the queue, largest first: every table that is large (or estimated) alone,
     * then the small ones of each database in batches.
     */
    static List<List<TableInfo>> workItems(List<TableInfo> tables, Options options) {
        List<TableInfo> sorted = new ArrayList<>(tables);
        sorted.sort(Comparator.comparingLong(TableInfo::bytes).reversed());
        List<List<TableInfo>> items = new ArrayList<>();
        Map<String, List<TableInfo>> small = new java.util.LinkedHashMap<>();
        for (TableInfo t : sorted) {
            if (t.bytes() >= SMALL_TABLE_BYTES || options.fastAboveBytes() != null && t.bytes() >= options.fastAboveBytes()) {
                items.add(List.of(t));
            } else {
                List<TableInfo> batch = small.computeIfAbsent(t.table().database(), db -> new ArrayList<>());
                batch.add(t);
                if (batch.size() == BATCH) {
                    items.add(List.copyOf(batch));
                    batch.clear();
                }
            }
        }
        small.values().stream().filter(b -> !b.isEmpty()).forEach(b -> items.add(List.copyOf(b)));
        return items;
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

    private RowCount count(TableInfo t, Map<String, SqlSession> sessions) {
        if (options.fastAboveBytes() != null && t.bytes() >= options.fastAboveBytes() && t.estimatedRows() >= 0) {
            return new RowCount(t.table(), t.kind(), t.unlogged(), t.estimatedRows(), false, 0);
        }
        SqlSession s = sessions.computeIfAbsent(t.table().database(), connect);
        Instant start = Instant.now();
        long rows = s.query("SELECT count(*) AS n FROM ONLY " + t.table().sql()).get(0).getLong("n");
        return new RowCount(t.table(), t.kind(), t.unlogged(), rows, true,
                Duration.between(start, Instant.now()).toMillis());
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting rows", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A progress line at most every two seconds, and one at the end. */
    private final class Progress {
        private final int total;
        private Instant last = Instant.now();

        Progress(int total) {
            this.total = total;
        }

        synchronized void tick(int done) {
            Instant now = Instant.now();
            if (done == total || Duration.between(last, now).toMillis() >= 2000) {
                last = now;
                progress.accept("counted " + done + " of " + total + " tables");
            }
        }
    }
}
