package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.journal.JournalEvent;

import io.pgmigrate.testing.Events;

import io.pgmigrate.journal.Journal;

import io.pgmigrate.execute.PortSquatter;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.KilledRun;
import io.pgmigrate.testing.LedgerClient;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestPgbouncer;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blue/green strategy end to end, as issue #5 accepts it: PostgreSQL 15 blue, PostgreSQL 18 green, a real
 * pgbouncer the ledger client writes through for the whole run, and a switch command that re-points pgbouncer and
 * reloads it. Every transaction the client saw committed must be on the cluster that serves at the end, the client
 * may see delays but no error, sequences continue above every value handed out, and cleanup leaves no slot.
 */
class BlueGreenIT {
    private static final List<String> DATABASES = List.of("postgres", "shop");

    @TempDir
    Path dir;

    @Test
    void cutoverAndReverseCutoverUnderLoadLoseNothing() throws Exception {
        try (PgCluster blue = PgCluster.start(15); TestPgbouncer bouncer = TestPgbouncer.inFrontOf(blue)) {
            seed(blue);
            int greenPort = PgCluster.freePort();
            Path greenData = blue.root().resolve("green");
            try {
                Path inv = inventory(blue, bouncer, greenData, greenPort, "bg", "");
                Path planFile = plan(inv, "bg");
                assertThat(Files.readString(dir.resolve("bg.plan.md"))).as("blue runs with wal_level replica")
                        .contains("blue-restart.restart");
                LedgerClient client = LedgerClient.start(url(bouncer.port()), "postgres", 1, 50);
                Thread.sleep(500);
                sql(blue.port(), "shop", "SELECT nextval('ticket_seq') FROM generate_series(1, 40)");

                // a row written on green behind replication's back, before the freeze: the comparison of the frozen
                // point, made once clients work on green, finds it, and the reverse cutover is the way back
                Path journal = dir.resolve("bg.journal.jsonl");
                Thread stray = onJournal(journal, Events.started("replicate.caught-up.shop"),
                        () -> sql(greenPort, "shop", "INSERT INTO orders (id, note) VALUES (1000000, 'stray')"));
                CliRun run = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                stray.join(5000);
                assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(5);
                assertThat(run.out()).containsSubsequence("run    blue-restart.restart", "run    replicate.initial-copy.shop",
                        "run    cutover.freeze", "run    cutover.verify-snapshot", "run    cutover.switch-clients",
                        "run    cutover.resume", "run    post.verify", "FAILED row counts");
                assertThat(run.out() + run.err()).contains("at the frozen point", "Run pgmigrate rollback");
                Thread.sleep(1000);
                assertThat(major(bouncer.port())).as("clients reach green through pgbouncer").isEqualTo(18);
                // sequences continue above what blue handed out: a serial insert and a free-standing sequence
                long blueOrders = longValue(blue.port(), "shop", "SELECT max(id) FROM orders");
                long onGreen = longValue(bouncer.port(), "shop", "INSERT INTO orders (note) VALUES ('on green')"
                        + " RETURNING id");
                assertThat(onGreen).isGreaterThan(blueOrders);
                assertThat(longValue(bouncer.port(), "shop", "SELECT nextval('ticket_seq')")).isEqualTo(41);

                // the reverse cutover killed while frozen (blue's apply held back): the next rollback unfreezes first
                sql(blue.port(), "shop", "ALTER SUBSCRIPTION pgmigrate_rev_shop DISABLE");
                KilledRun.whenJournalShows("rollback", inv, planFile, journal,
                        Events.started("rollback.caught-up.shop"));
                sql(blue.port(), "shop", "ALTER SUBSCRIPTION pgmigrate_rev_shop ENABLE");
                CliRun back = CliRun.of("rollback", "-i", inv.toString(), planFile.toString());
                assertThat(back.exitCode()).as(back.err() + back.out()).isZero();
                assertThat(back.out()).containsSubsequence("abandoning it first", "undo   rollback.freeze",
                        "run    rollback.freeze", "run    rollback.caught-up.shop", "run    rollback.switch-clients",
                        "run    rollback.resume");
                Thread.sleep(1000);
                client.stop(30, TimeUnit.SECONDS);

                assertThat(major(bouncer.port())).as("clients are back on blue").isEqualTo(15);
                assertThat(client.errors()).as("errors the client saw").isEmpty();
                List<Long> ids = client.committedIds();
                assertThat(ids.size()).as("writes before, during and after both switches").isGreaterThan(100);
                assertThat(LedgerClient.missingOn(url(blue.port()), "postgres", ids))
                        .as("committed rows missing on blue, which serves at the end").isEmpty();
                assertThat(longValue(blue.port(), "shop", "SELECT count(*) FROM orders WHERE note = 'on green'"))
                        .as("green's own write came back to blue").isOne();
                assertThat(longValue(blue.port(), "shop", "INSERT INTO orders (note) VALUES ('back on blue')"
                        + " RETURNING id")).isGreaterThan(onGreen);
                assertThat(longValue(blue.port(), "shop", "SELECT nextval('ticket_seq')")).isEqualTo(42);
                assertThat(longValue(blue.port(), "shop", "SELECT count(*) FROM orders WHERE id = 1000000")).isZero();

                CliRun again = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                assertThat(again.exitCode()).isEqualTo(4);
                assertThat(again.out() + again.err()).contains("rolled back by the reverse cutover", "pgmigrate cleanup");

                CliRun clean = CliRun.of("cleanup", "-i", inv.toString(), planFile.toString());
                assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
                assertNothingLeft(blue.port(), greenPort);
            } finally {
                PgCluster.stopServerAt(greenData);
            }
        }
    }

    @Test
    void killedDuringTheCopyAndTheCutoverItResumesOrAbandonsAndRefusesDdlDrift() throws Exception {
        try (PgCluster blue = PgCluster.create(15, PgCluster.Init.defaults())) {
            blue.appendConfig(List.of("wal_level = logical"));
            blue.startServer();
            try (TestPgbouncer bouncer = TestPgbouncer.inFrontOf(blue)) {
                seed(blue);
                int greenPort = PgCluster.freePort();
                Path greenData = blue.root().resolve("green");
                try {
                    Path inv = inventory(blue, bouncer, greenData, greenPort, "killed-bg",
                            "options:\n  verify: { beforeSwitch: true }\n");
                    Path planFile = plan(inv, "killed-bg");
                    Path journal = dir.resolve("killed-bg.journal.jsonl");
                    LedgerClient client = LedgerClient.start(url(bouncer.port()), "postgres", 1, 50);

                    KilledRun.whenJournalShows(inv, planFile, journal, Events.started("replicate.initial-copy.shop"));
                    // DDL on blue after the copy began: the cutover must refuse it before anything is frozen
                    sql(blue.port(), "shop", "ALTER TABLE orders ADD COLUMN gift_note text");
                    CliRun drift = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                    assertThat(drift.exitCode()).as(drift.err() + drift.out()).isEqualTo(5);
                    assertThat(drift.out()).contains("done   replicate.publication.shop", "run    cutover.schema-check")
                            .doesNotContain("run    cutover.freeze");
                    assertThat(drift.out() + drift.err()).contains("cutover.schema-check", "gift_note", "cutover was abandoned");
                    assertThat(slots(blue.port())).as("replication goes on").contains("pgmigrate_shop");
                    sql(greenPort, "shop", "ALTER TABLE orders ADD COLUMN gift_note text");

                    // a row only green has: the comparison at the frozen point fails, the cutover is undone
                    sql(greenPort, "shop", "INSERT INTO orders (id, note) VALUES (1000000, 'stray')");
                    CliRun differ = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                    assertThat(differ.exitCode()).as(differ.err() + differ.out()).isEqualTo(5);
                    assertThat(differ.out()).contains("run    cutover.freeze", "undo   cutover.freeze");
                    assertThat(differ.out() + differ.err()).contains("cutover.verify", "cutover was abandoned");
                    sql(greenPort, "shop", "DELETE FROM orders WHERE id = 1000000");

                    // killed while frozen (green's apply held back, so the wait cannot end): the rerun unfreezes first
                    sql(greenPort, "shop", "ALTER SUBSCRIPTION pgmigrate_shop DISABLE");
                    KilledRun.whenJournalShows(inv, planFile, journal, Events.started("cutover.caught-up.shop"));
                    sql(greenPort, "shop", "ALTER SUBSCRIPTION pgmigrate_shop ENABLE");
                    CliRun resumed = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                    assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
                    assertThat(resumed.out()).containsSubsequence("abandoning it first", "undo   cutover.freeze",
                            "run    cutover.freeze", "run    cutover.switch-clients");
                    Thread.sleep(1000);
                    client.stop(30, TimeUnit.SECONDS);

                    assertThat(major(bouncer.port())).isEqualTo(18);
                    assertThat(client.errors()).as("errors the client saw").isEmpty();
                    assertThat(LedgerClient.missingOn(url(greenPort), "postgres", client.committedIds()))
                            .as("committed rows missing on green, which serves at the end").isEmpty();

                    CliRun clean = CliRun.of("cleanup", "-i", inv.toString(), planFile.toString());
                    assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
                    assertThat(clean.out()).contains("blue is fenced");
                    assertNothingLeft(blue.port(), greenPort);
                } finally {
                    PgCluster.stopServerAt(greenData);
                }
            }
        }
    }

    @Test
    void beforeTheCutoverAFailureOrARollbackRemovesEverythingItCreatedAndWithoutPgbouncerLoginsAreFenced()
            throws Exception {
        try (PgCluster blue = PgCluster.create(15, PgCluster.Init.defaults())) {
            blue.appendConfig(List.of("wal_level = logical"));
            blue.startServer();
            seed(blue);
            int greenPort = PgCluster.freePort();
            Path greenData = blue.root().resolve("green");
            try {
                Path inv = TestInventory.logical(dir, "plain-bg", blue, greenData, greenPort,
                        "cutover:\n  switchCommand: [/bin/true]\n");
                Path planFile = plan(inv, "plain-bg");
                Path journal = dir.resolve("plain-bg.journal.jsonl");

                // green's port taken once green exists: its start fails, and what was made is removed again
                CliRun failed;
                try (PortSquatter squatter = PortSquatter.when(journal, greenPort,
                        Events.finished("green.initdb"),
                        e -> e instanceof JournalEvent.RollbackFinished)) {
                    failed = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                    assertThat(squatter.held()).isTrue();
                }
                assertThat(failed.exitCode()).as(failed.err() + failed.out()).isEqualTo(4);
                assertThat(failed.out() + failed.err()).contains("green.start", "Rolled back",
                        "removed green's data directory", "blue serves as before");
                assertThat(greenData).doesNotExist();

                // killed during the copy, then rolled back: publications, slots and green are gone
                KilledRun.whenJournalShows(inv, planFile, journal, Events.started("replicate.initial-copy.shop"));
                assertThat(slots(blue.port())).contains("pgmigrate_shop");
                CliRun back = CliRun.of("rollback", "-i", inv.toString(), planFile.toString());
                assertThat(back.exitCode()).as(back.err() + back.out()).isZero();
                assertThat(slots(blue.port())).isEmpty();
                for (String db : DATABASES) {
                    assertThat(strings(blue.port(), db, "SELECT pubname FROM pg_publication")).isEmpty();
                }
                assertThat(greenData).doesNotExist();
                CliRun nothing = CliRun.of("cleanup", "-i", inv.toString(), planFile.toString());
                assertThat(nothing.exitCode()).as(nothing.err() + nothing.out()).isZero();
                assertThat(nothing.out() + nothing.err()).contains("nothing to clean up");

                // from the first step again, to the end: the freeze blocks the application's logins on blue
                sql(blue.port(), "shop", "INSERT INTO orders (note) VALUES ('after the rollback')");
                CliRun run = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
                assertThat(run.out() + run.err()).contains("write outage");
                assertThat(run.out()).containsSubsequence("run    cutover.verify-snapshot", "run    cutover.switch-clients",
                        "run    post.verify", "PASSED row counts", "PASSED data fingerprints");
                assertThat(longValue(greenPort, "shop", "SELECT count(*) FROM orders")).isEqualTo(5001);
                assertThat(strings(blue.port(), "postgres", "SELECT rolname FROM pg_roles WHERE rolname = 'app'"
                        + " AND NOT rolcanlogin")).as("app fenced on blue").containsExactly("app");
                CliRun status = CliRun.of("status", planFile.toString());
                assertThat(status.out()).contains("measured write outage cutover");
                CliRun baselineVerify = CliRun.of("verify", "-i", inv.toString(), planFile.toString());
                assertThat(baselineVerify.exitCode()).isEqualTo(2);
                assertThat(baselineVerify.err()).contains("blue/green plan", "verify --live");
                CliRun live = CliRun.of("verify", "--live", "-i", inv.toString(), "-o", dir.toString());
                assertThat(live.exitCode()).as(live.err() + live.out()).isZero();
                CliRun clean = CliRun.of("cleanup", "-i", inv.toString(), planFile.toString());
                assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
                assertNothingLeft(blue.port(), greenPort);
            } finally {
                PgCluster.stopServerAt(greenData);
            }
        }
    }

    /** Runs the action once the journal shows the event (polled on a thread of its own, as an outside actor). */
    private static Thread onJournal(Path journal, java.util.function.Predicate<JournalEvent> event, SqlAction action) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline) {
                if (Files.exists(journal) && Journal.read(journal).stream().anyMatch(event)) {
                    try {
                        action.run();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "journal-watcher");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    static void seed(PgCluster blue) {
        blue.createDatabase("shop");
        blue.sql("postgres", "CREATE ROLE app LOGIN PASSWORD 'app-s3cret'");
        blue.sql("shop", LedgerClient.TABLE_DDL,
                "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 5000) g",
                "CREATE SEQUENCE ticket_seq",
                "GRANT ALL ON orders TO app",
                "ANALYZE");
    }

    private Path inventory(PgCluster blue, TestPgbouncer bouncer, Path greenData, int greenPort, String name,
                           String more) throws Exception {
        return inventory(dir, blue, bouncer, greenData, greenPort, name, more);
    }

    /**
     * A blue/green inventory in dir with pgbouncer in front of blue and a switch command that points it at either side
     * and reloads it.
     */
    static Path inventory(Path dir, PgCluster blue, TestPgbouncer bouncer, Path greenData, int greenPort, String name,
                          String more) throws Exception {
        Path script = bouncer.switchScript(dir);
        return TestInventory.logical(dir, name, blue, greenData, greenPort, bouncer.inventoryYaml()
                + "  switchCommand: [" + script + "]\n" + more);
    }

    private Path plan(Path inv, String name) {
        return plan(dir, inv, name);
    }

    static Path plan(Path dir, Path inv, String name) {
        CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
        assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
        return dir.resolve(name + ".plan.json");
    }

    private static void assertNothingLeft(int bluePort, int greenPort) throws SQLException {
        for (int port : List.of(bluePort, greenPort)) {
            assertThat(slots(port)).as("replication slots on port " + port).isEmpty();
            for (String db : DATABASES) {
                assertThat(strings(port, db, "SELECT pubname FROM pg_publication")).as("publications").isEmpty();
            }
            assertThat(strings(port, "postgres", "SELECT subname FROM pg_subscription")).as("subscriptions").isEmpty();
        }
    }

    private static List<String> slots(int port) throws SQLException {
        return strings(port, "postgres", "SELECT slot_name FROM pg_replication_slots");
    }

    static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/shop";
    }

    private static Connection connect(int port, String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db
                + "?preferQueryMode=simple", "postgres", "");
    }

    static void sql(int port, String db, String statement) throws SQLException {
        try (Connection c = connect(port, db); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static long longValue(int port, String db, String query) throws SQLException {
        try (Connection c = connect(port, db); Statement st = c.createStatement(); ResultSet r = st.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<String> strings(int port, String db, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(port, db); Statement st = c.createStatement(); ResultSet r = st.executeQuery(query)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    static int major(int port) throws SQLException {
        return (int) (longValue(port, "shop", "SHOW server_version_num") / 10000);
    }
}
