package io.pgmigrate.verify;

import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Benchmark entry point for bench/verify-hash.sh (not a test): fingerprints every table of one
 * database the way the verification does, over {@code jobs} sessions, and prints rows per second.
 * Usage: {@code FingerprintBench HOST PORT DATABASE JOBS [RUNS [ranges]]} ({@code ranges}: with key ranges, as a
 * baseline is measured), or
 * {@code FingerprintBench HOST PORT DATABASE sql SCHEMA TABLE} to print the fingerprint SQL of one table.
 */
public final class FingerprintBench {
    private FingerprintBench() {
    }

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: FingerprintBench HOST PORT DATABASE JOBS [RUNS]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String db = args[2];
        Function<String, SqlSession> connect = d -> JdbcSqlSession.open(host, port, "postgres", d, "disable");
        if (args[3].equals("sql")) {
            try (SqlSession s = connect.apply(db)) {
                TableShape shape = Fingerprinter.on(s).shape(new TableRef(db, args[4], args[5]));
                System.out.println(FingerprintSql.fingerprint(shape, BlockRange.WHOLE));
            }
            return;
        }
        int jobs = Integer.parseInt(args[3]);
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        boolean ranges = args.length > 5 && args[5].equals("ranges");
        List<HashTarget> targets;
        try (SqlSession s = connect.apply(db)) {
            targets = HashTargets.list(s);
        }
        for (int run = 1; run <= runs; run++) {
            long start = System.nanoTime();
            List<TableFingerprint> result = FingerprintRun.run(targets, connect, jobs, Fingerprinter.DEFAULT_SLICE_PAGES,
                    ranges);
            double seconds = (System.nanoTime() - start) / 1e9;
            long rows = result.stream().mapToLong(TableFingerprint::rows).sum();
            System.out.printf(Locale.ROOT, "fingerprint run %d%s: %d tables, %d rows in %.2f s = %.0f rows/s (jobs %d)%n",
                    run, ranges ? " with key ranges" : "", result.size(), rows, seconds, rows / seconds, jobs);
        }
    }
}
