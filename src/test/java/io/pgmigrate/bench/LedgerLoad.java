package io.pgmigrate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.testing.LedgerClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The load client of the outage benchmarks (bench/outage-pgbouncer.sh; the blue/green cutover benchmark will
 * drive it the same way): writes ledger rows at a steady rate through URL until STOP_FILE exists (or for
 * SECONDS), then reports what it saw and checks that every committed row is on the serving cluster.
 *
 * <pre>
 * Usage: LedgerLoad URL [--user postgres] [--connections 2] [--rate 100] [--create]
 *                       (--stop-file FILE | --seconds S) [--check SERVING_URL] [--json FILE]
 * </pre>
 * {@code --create} creates the ledger table through URL first (alone, without a stop condition: only that). Prints a human summary, then one JSON line (also
 * written to FILE with --json). Exit 0 when no error was seen and every committed row is present, else 1.
 */
public final class LedgerLoad {
    private LedgerLoad() {
    }

    private static void createTable(String url, String user) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("preferQueryMode", "simple");
        try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement()) {
            st.execute(LedgerClient.TABLE_DDL);
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = "postgres";
        int connections = 2;
        double rate = 100;
        boolean create = false;
        Path stopFile = null;
        double seconds = 0;
        String check = null;
        Path json = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> user = args[++i];
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--create" -> create = true;
                case "--stop-file" -> stopFile = Path.of(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--check" -> check = args[++i];
                case "--json" -> json = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (create && stopFile == null && seconds <= 0) {
            createTable(url, user);
            return; // --create alone: only the table
        }
        if ((stopFile == null) == (seconds <= 0)) {
            throw new IllegalArgumentException("give either --stop-file FILE or --seconds S");
        }
        if (create) {
            createTable(url, user);
        }

        LedgerClient client = LedgerClient.start(url, user, connections, rate);
        System.out.printf("%s ledger load: %d connections, %.0f tx/s through %s%n", Instant.now(), connections, rate, url);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (stopFile != null ? !Files.exists(stopFile) : System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        client.stop(120, TimeUnit.SECONDS);
        LedgerClient.Result r = client.result();
        List<Long> ids = client.committedIds();
        List<Long> missing = check == null ? null : LedgerClient.missingOn(check, user, ids);

        System.out.printf("%s ledger load stopped after %.1f s%n", Instant.now(), r.durationMs() / 1000);
        System.out.printf("  committed transactions        %d (%.1f tx/s)%n", r.committed(),
                r.committed() / (r.durationMs() / 1000));
        System.out.printf("  errors                        %d%n", r.errors().size());
        r.errors().stream().limit(20).forEach(e -> System.out.println("    " + e));
        System.out.printf("  longest gap between commits   %.3f s (from %s to %s)%n", r.longestGapMs() / 1000,
                Instant.ofEpochMilli(r.gapFromEpochMs()), Instant.ofEpochMilli(r.gapToEpochMs()));
        System.out.printf("  latency p50 / p90 / p99 / max %.1f / %.1f / %.1f / %.1f ms%n", r.p50Ms(), r.p90Ms(),
                r.p99Ms(), r.maxMs());
        Map<String, Object> out = new LinkedHashMap<>(r.asMap());
        if (missing != null) {
            double pct = ids.isEmpty() ? 100 : 100.0 * (ids.size() - missing.size()) / ids.size();
            System.out.printf("  ledger on %s: %d of %d committed rows present (%.2f %%)%s%n", check,
                    ids.size() - missing.size(), ids.size(), pct,
                    missing.isEmpty() ? "" : "; missing: " + missing.subList(0, Math.min(20, missing.size())));
            out.put("present", ids.size() - missing.size());
            out.put("presentPct", pct);
            out.put("missingIds", new ArrayList<>(missing.subList(0, Math.min(100, missing.size()))));
        }
        String line = new ObjectMapper().writeValueAsString(out);
        System.out.println(line);
        if (json != null) {
            Files.writeString(json, line + "\n");
        }
        System.exit(r.errors().isEmpty() && (missing == null || missing.isEmpty()) && r.committed() > 0 ? 0 : 1);
    }
}
