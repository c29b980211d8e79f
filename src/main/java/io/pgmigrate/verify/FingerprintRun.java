package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlSession;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Fingerprints many tables over {@code jobs} sessions at once, each with its key ranges when asked
 * ({@link Fingerprinter#cut}, {@link KeyBuckets}). Large tables are cut into block slices
 * ({@link Fingerprinter#slices}) so that one big table keeps every job busy; work goes out largest
 * first; each job opens one session per database it meets and closes them at the end.
 */
public final class FingerprintRun {
    private record Work(HashTarget target, BlockRange range) {
    }

    private FingerprintRun() {
    }

    /**
     * @param connect opens a session to a database by name (a new connection each call)
     * @return one fingerprint per table, sorted by table
     */
    public static List<TableFingerprint> run(List<HashTarget> targets, Function<String, SqlSession> connect, int jobs,
                                             long slicePages) {
        return run(targets, connect, jobs, slicePages, false);
    }

    /** As {@link #run(List, Function, int, long)}, with each table's key ranges too when {@code keyRanges}. */
    public static List<TableFingerprint> run(List<HashTarget> targets, Function<String, SqlSession> connect, int jobs,
                                             long slicePages, boolean keyRanges) {
        ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
        targets.stream().sorted(Comparator.comparingLong(HashTarget::pages).reversed())
                .flatMap(t -> Fingerprinter.slices(t.pages(), slicePages).stream().map(r -> new Work(t, r)))
                .forEach(queue::add);
        Map<TableRef, TableShape> shapes = new ConcurrentHashMap<>();
        Map<TableRef, Optional<KeyBuckets>> cuts = new ConcurrentHashMap<>();
        Map<TableRef, TableFingerprint> done = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs), r -> {
            Thread t = new Thread(r, "fingerprint");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < Math.max(1, jobs); i++) {
                futures.add(pool.submit(() -> work(queue, connect, shapes, keyRanges ? cuts : null, done)));
            }
            for (Future<?> f : futures) {
                await(f, queue);
            }
        } finally {
            pool.shutdownNow();
        }
        return done.values().stream().sorted(Comparator.comparing(TableFingerprint::table)).toList();
    }

    /** One job: takes work until the queue is empty; {@code cuts} is null when no key ranges are measured. */
    private static void work(ConcurrentLinkedQueue<Work> queue, Function<String, SqlSession> connect,
                             Map<TableRef, TableShape> shapes, Map<TableRef, Optional<KeyBuckets>> cuts,
                             Map<TableRef, TableFingerprint> done) {
        Map<String, Fingerprinter> sessions = new HashMap<>();
        try {
            for (Work w; (w = queue.poll()) != null; ) {
                TableRef table = w.target().table();
                Fingerprinter f = sessions.computeIfAbsent(table.database(), db -> open(connect, db));
                TableShape shape = shapes.computeIfAbsent(table, f::shape);
                HashTarget target = w.target();
                KeyBuckets cut = cuts == null ? null : cuts.computeIfAbsent(table, t -> Optional.ofNullable(
                        f.cut(shape, target.pages(), target.estimatedRows()))).orElse(null);
                TableFingerprint part = f.fingerprint(shape, w.range(), cut);
                done.merge(table, part, TableFingerprint::plus);
            }
        } finally {
            sessions.values().forEach(f -> f.session().close());
        }
    }

    private static Fingerprinter open(Function<String, SqlSession> connect, String database) {
        SqlSession s = connect.apply(database);
        try {
            return Fingerprinter.on(s);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static void await(Future<?> f, ConcurrentLinkedQueue<Work> queue) {
        try {
            f.get();
        } catch (ExecutionException e) {
            queue.clear();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.clear();
            throw new IllegalStateException("interrupted while fingerprinting", e);
        }
    }
}
