package io.pgmigrate.testing;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client writing at a steady rate, as an application would during an upgrade: N connections through one
 * JDBC URL (pgbouncer, simple query protocol), each transaction one autocommitted {@code INSERT} of a ledger
 * row with a unique id. Every transaction's start, end and outcome is recorded, so that afterwards one can say
 * what a client saw: how many transactions committed, which errors it got, the longest gap between two
 * commits (the write outage as clients see it), its latencies, and whether every committed row is on the
 * cluster that ends up serving ({@link #missingOn}).
 *
 * <p>The rate is open-loop per connection (transactions start on a fixed schedule), but ticks missed while a
 * transaction was held (a pgbouncer PAUSE) are skipped, not caught up in a burst. A connection that fails is
 * reopened on its next tick; the failure is an error.
 */
public final class LedgerClient implements AutoCloseable {
    /** The ledger table the client writes to; create it in the database before starting. */
    public static final String TABLE_DDL =
            "CREATE TABLE ledger (id bigint PRIMARY KEY, client_at timestamptz NOT NULL, conn int NOT NULL)";

    /** One transaction: its id, connection, start and end ({@link System#nanoTime}), and error (null: committed). */
    public record Tx(long id, int conn, long start, long end, String error) {
        public boolean committed() {
            return error == null;
        }
    }

    private final String url;
    private final Properties props;
    private final int connections;
    private final double rate;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong nextId = new AtomicLong(1);
    private final ConcurrentLinkedQueue<Tx> txs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> committed = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private long startNanos;
    private long startMillis;
    private long stopNanos;

    private LedgerClient(String url, String user, int connections, double ratePerSecond) {
        if (connections < 1 || !(ratePerSecond > 0)) {
            throw new IllegalArgumentException("connections ≥ 1 and a positive rate: " + connections + ", " + ratePerSecond);
        }
        this.url = url;
        this.props = new Properties();
        props.setProperty("user", user);
        // pgbouncer in transaction pooling: no server-side prepared statements
        props.setProperty("preferQueryMode", "simple");
        this.connections = connections;
        this.rate = ratePerSecond;
    }

    /** Starts CONNECTIONS writers through URL as USER, RATE transactions per second in all. */
    public static LedgerClient start(String url, String user, int connections, double ratePerSecond) {
        LedgerClient c = new LedgerClient(url, user, connections, ratePerSecond);
        c.startNanos = System.nanoTime();
        c.startMillis = System.currentTimeMillis();
        for (int i = 0; i < connections; i++) {
            int conn = i;
            Thread t = new Thread(() -> c.write(conn), "ledger-client-" + i);
            t.setDaemon(true);
            c.threads.add(t);
            t.start();
        }
        return c;
    }

    private void write(int conn) {
        long interval = (long) (TimeUnit.SECONDS.toNanos(1) * connections / rate);
        long next = startNanos + interval * conn / connections; // connections staggered over one interval
        Connection c = null;
        try {
            while (!stop.get()) {
                long now = System.nanoTime();
                if (now < next) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(next - now, TimeUnit.MILLISECONDS.toNanos(50)));
                    continue;
                }
                next += interval;
                if (next < System.nanoTime()) {
                    next = System.nanoTime(); // ticks missed while held are skipped, not caught up
                }
                long t0 = System.nanoTime();
                if (c == null) {
                    try {
                        c = DriverManager.getConnection(url, props);
                    } catch (SQLException e) {
                        txs.add(new Tx(0, conn, t0, System.nanoTime(), "connect: " + e.getMessage()));
                        continue;
                    }
                }
                long id = nextId.getAndIncrement();
                long sent = System.currentTimeMillis();
                long start = System.nanoTime();
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO ledger (id, client_at, conn) VALUES (" + id + ", to_timestamp("
                            + sent + " / 1000.0), " + conn + ")");
                    long end = System.nanoTime();
                    committed.add(id);
                    txs.add(new Tx(id, conn, start, end, null));
                } catch (SQLException e) {
                    txs.add(new Tx(id, conn, start, System.nanoTime(), e.getMessage()));
                    if (isClosed(c)) {
                        c = null;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // going away anyway
                }
            }
        }
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed() || !c.isValid(5);
        } catch (SQLException e) {
            return true;
        }
    }

    /** Stops the writers after their current transaction, waiting up to TIMEOUT for it. */
    public void stop(long timeout, TimeUnit unit) throws InterruptedException {
        stop.set(true);
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        stopNanos = System.nanoTime();
    }

    @Override
    public void close() throws InterruptedException {
        if (!stop.get()) {
            stop(60, TimeUnit.SECONDS);
        }
    }

    /** The ids committed so far (safe while running). */
    public List<Long> committedIds() {
        return List.copyOf(committed);
    }

    public int committedCount() {
        return committed.size();
    }

    /** Every error seen so far, as "id: message" (id 0: opening a connection failed). */
    public List<String> errors() {
        return txs.stream().filter(t -> !t.committed()).sorted(Comparator.comparingLong(Tx::start))
                .map(t -> t.id() + ": " + t.error()).toList();
    }

    /** What the client saw, once stopped. */
    public Result result() {
        List<Tx> all = List.copyOf(txs);
        long[] commits = all.stream().filter(Tx::committed).mapToLong(Tx::end).toArray();
        long[] latencies = all.stream().filter(Tx::committed).mapToLong(t -> t.end() - t.start()).toArray();
        LedgerStats.Gap gap = LedgerStats.longestGap(commits);
        List<Long> dist = LedgerStats.distribution(latencies);
        long end = stopNanos == 0 ? System.nanoTime() : stopNanos;
        return new Result(connections, rate, ms(end - startNanos), commits.length, errors(), ms(gap.length()),
                gap.length() == 0 ? 0 : wallMillis(gap.from()), gap.length() == 0 ? 0 : wallMillis(gap.to()),
                ms(dist.get(0)), ms(dist.get(1)), ms(dist.get(2)), ms(dist.get(3)));
    }

    private long wallMillis(long nanos) {
        return startMillis + TimeUnit.NANOSECONDS.toMillis(nanos - startNanos);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    /**
     * The figures of one run; times in milliseconds, the gap's ends as epoch milliseconds (the commits on either
     * side of the longest gap).
     */
    public record Result(int connections, double rate, double durationMs, int committed, List<String> errors,
                         double longestGapMs, long gapFromEpochMs, long gapToEpochMs,
                         double p50Ms, double p90Ms, double p99Ms, double maxMs) {
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connections", connections);
            m.put("rate", rate);
            m.put("durationMs", durationMs);
            m.put("committed", committed);
            m.put("errors", errors.size());
            m.put("longestGapMs", longestGapMs);
            m.put("gapFromEpochMs", gapFromEpochMs);
            m.put("gapToEpochMs", gapToEpochMs);
            m.put("latencyP50Ms", p50Ms);
            m.put("latencyP90Ms", p90Ms);
            m.put("latencyP99Ms", p99Ms);
            m.put("latencyMaxMs", maxMs);
            m.put("errorMessages", errors);
            return m;
        }
    }

    /**
     * The committed ids that are not in the ledger table of the database at URL (the cluster that ends up
     * serving, reached directly): empty when every transaction the client saw committed is there.
     */
    public static List<Long> missingOn(String url, String user, List<Long> ids) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        try (Connection c = DriverManager.getConnection(url, p);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT x FROM unnest(?::bigint[]) x WHERE NOT EXISTS (SELECT FROM ledger l WHERE l.id = x) ORDER BY x")) {
            Array arr = c.createArrayOf("bigint", ids.toArray(new Long[0]));
            ps.setArray(1, arr);
            List<Long> missing = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    missing.add(rs.getLong(1));
                }
            }
            return missing;
        }
    }
}
