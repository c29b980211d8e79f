package io.pgmigrate.bench;

import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.verify.RowCounter;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The row counting of pgmigrate verify, alone, for bench/verify-count.sh: counts every table of the given
 * databases exactly over JOBS connections and prints the wall time and the rows counted (the JDBC driver
 * warmed up first, as it is by the time execute or verify counts).
 * Usage: RowCountBench HOST PORT USER JOBS DB...
 */
public final class RowCountBench {
    private RowCountBench() {
    }

    public static void main(String[] args) {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String user = args[2];
        int jobs = Integer.parseInt(args[3]);
        List<String> dbs = List.of(args).subList(4, args.length);
        // inside execute and verify the driver is loaded and used long before counting starts (inspection
        // connects first): one connection here, untimed, so that class loading is not counted either
        JdbcSqlSession.open(host, port, user, dbs.get(0), "disable").close();
        Instant start = Instant.now();
        List<RowCounter.RowCount> counts = new RowCounter(db -> JdbcSqlSession.open(host, port, user, db, "disable"),
                RowCounter.Options.exact(jobs), line -> { }).count(dbs);
        Duration took = Duration.between(start, Instant.now());
        long rows = counts.stream().mapToLong(RowCounter.RowCount::rows).sum();
        System.out.printf("pgmigrate RowCounter, %d jobs: %d tables, %d rows in %.2f s%n", jobs, counts.size(), rows,
                took.toMillis() / 1000.0);
    }
}
