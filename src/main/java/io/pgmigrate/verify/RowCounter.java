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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Row counts of every table of every database, over {@code jobs} connections at once, largest tables
 * first so that the last one to finish is a small one. Exact ({@code count(*)}) by default; in fast mode
 * tables at or above a size threshold take the planner's estimate instead, labelled as such.
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
        List<TableInfo> tables = new ArrayList<>();
        for (String db : databases) {
            try (SqlSession s = connect.apply(db)) {
                tables.addAll(TableCatalog.list(s));
            }
        }
        tables.sort(Comparator.comparingLong(TableInfo::bytes).reversed());
        ConcurrentLinkedQueue<TableInfo> queue = new ConcurrentLinkedQueue<>(tables);
        List<RowCount> out = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        Progress report = new Progress(tables.size());
        int workers = Math.max(1, Math.min(options.jobs(), tables.size()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "pgmigrate-count");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                futures.add(pool.submit(() -> work(queue, out, done, report)));
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

    /** One worker: its own session per database, tables taken from the shared queue until it is empty. */
    private void work(ConcurrentLinkedQueue<TableInfo> queue, List<RowCount> out, AtomicInteger done, Progress report) {
        Map<String, SqlSession> sessions = new HashMap<>();
        try {
            for (TableInfo t = queue.poll(); t != null; t = queue.poll()) {
                out.add(count(t, sessions));
                report.tick(done.incrementAndGet());
            }
        } finally {
            sessions.values().forEach(SqlSession::close);
        }
    }

    private RowCount count(TableInfo t, Map<String, SqlSession> sessions) {
        if (options.fastAboveBytes() != null && t.bytes() >= options.fastAboveBytes() && t.estimatedRows() >= 0) {
            return new RowCount(t.table(), t.kind(), t.unlogged(), t.estimatedRows(), false, 0);
        }
        SqlSession s = sessions.computeIfAbsent(t.table().database(), connect);
        Instant start = Instant.now();
        long rows = s.query("SELECT count(*) AS n FROM " + t.table().sql()).get(0).getLong("n");
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
