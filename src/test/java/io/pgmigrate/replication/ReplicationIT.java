package io.pgmigrate.replication;

import io.pgmigrate.pg.Conninfo;
import io.pgmigrate.pg.Lsn;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The building blocks of the logical strategy on a real pair, and the facts about PostgreSQL they rest on:
 * PostgreSQL 15 as blue, 18 as green, both with {@code wal_level = logical} and {@code synchronous_commit = off}.
 * Blue → green with a writer running: the initial copy, the freeze, a commit visible before the WAL write
 * position covers it, catch-up to the WAL insert position, sequences, exact rows; then green → blue without a
 * copy ({@code origin} refused by the 15 subscriber), and everything dropped again, once without its unreachable
 * publisher; a subscription dropped during its initial copy while its publisher is down, and the slots it leaves
 * there. Publications, subscriptions and slots are made and dropped by the statements the plan runs, written here
 * (the executor takes them from the plan), with the plan's names: {@code pgmigrate_<db>} forward,
 * {@code pgmigrate_rev_<db>} reverse, the same for publication, subscription and slot.
 */
class ReplicationIT {
    private static final String DB = "shop \"Grün\" ü";
    private static final String FORWARD = "pgmigrate_shop";
    private static final String REVERSE = "pgmigrate_rev_shop";
    private static final String LINES = SqlIdentifiers.qualified("Sales Ü", "Order \"Lines\"");
    private static final List<String> TABLES = List.of("public.accounts", LINES, "public.events");
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String COULD_NOT_CONNECT = "could not connect to";

    private static PgCluster blue;
    private static PgCluster green;

    private static final String[] SCHEMA = {
            "CREATE SCHEMA \"Sales Ü\"",
            "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner text NOT NULL,"
                    + " balance numeric(12,2) NOT NULL DEFAULT 0)",
            "CREATE TABLE " + LINES + " (id serial PRIMARY KEY, account bigint NOT NULL, note text)",
            "CREATE SEQUENCE invoice_no START 1000 INCREMENT 7",
            "CREATE SEQUENCE \"Sales Ü\".\"count down\" INCREMENT -1 START 0 MINVALUE -1000000 MAXVALUE 0",
            "CREATE TABLE events (id bigserial PRIMARY KEY, invoice bigint, payload text)"};

    @BeforeAll
    static void start() {
        blue = PgCluster.create(15, PgCluster.Init.defaults());
        green = PgCluster.create(18, PgCluster.Init.defaults());
        for (PgCluster pg : List.of(blue, green)) {
            // synchronous_commit = off: what the catch-up by the WAL insert position has to cope with
            pg.appendConfig(List.of("wal_level = logical", "max_replication_slots = 10", "max_wal_senders = 10",
                    "wal_sender_timeout = 10s", "synchronous_commit = off"));
            pg.startServer();
        }
    }

    @AfterAll
    static void stop() {
        for (PgCluster pg : new PgCluster[] {blue, green}) {
            if (pg != null) {
                pg.close();
            }
        }
    }

    @Test
    void blueToGreenWithAWriterThenBackWithoutCopyThenNothingLeft() throws Exception {
        for (PgCluster pg : List.of(blue, green)) {
            pg.createDatabase(DB);
            pg.sql(DB, SCHEMA);
        }
        blue.sql(DB,
                "INSERT INTO accounts (owner, balance) SELECT 'owner ' || i, i FROM generate_series(1, 2000) i",
                "INSERT INTO " + LINES + " (account, note) SELECT i % 2000 + 1, 'line ' || i FROM generate_series(1, 5000) i",
                "INSERT INTO events (invoice, payload) SELECT nextval('invoice_no'), 'seed ' || i FROM generate_series(1, 3000) i",
                "SELECT nextval('\"Sales Ü\".\"count down\"') FROM generate_series(1, 17)");

        Writer writer = new Writer(blue);
        writer.start();
        try (SqlSession b = blue.connect(DB); SqlSession g = green.connect(DB); SqlSession b2 = blue.connect(DB)) {
            // publication and subscription; CREATE SUBSCRIPTION makes the slot on blue before it returns
            createPublication(b, FORWARD);
            assertThat(Publications.exists(b, FORWARD)).isTrue();
            String conninfo = createSubscription(g, FORWARD, blue, DB, "copy_data = true");
            assertThat(Subscriptions.exists(g, FORWARD)).isTrue();
            assertThat(slots(b)).contains(FORWARD + " in " + DB);
            // the connection string is stored as given, readable in pg_subscription: hence no password in it
            assertThat(g.query("SELECT subconninfo FROM pg_catalog.pg_subscription").get(0).get("subconninfo"))
                    .isEqualTo(conninfo).doesNotContain("password");

            // the initial copy, until every table is ready
            InitialCopy copy = InitialCopy.waitUntilReady(g, FORWARD, WAIT, Duration.ofMillis(200));
            assertThat(copy.allReady()).as(copy.summary()).isTrue();
            assertThat(copy.tables()).extracting(t -> t.schema() + "." + t.table())
                    .containsExactly("Sales Ü.Order \"Lines\"", "public.accounts", "public.events");
            assertThat(copy.summary()).isEqualTo(SqlIdentifiers.quote(FORWARD) + ": 3 of 3 tables ready");

            // while replication runs: one publication on blue, one slot (the copy's table sync slots are gone),
            // one subscription on green
            assertThat(publications(b)).containsExactly(FORWARD + " for all tables");
            assertThat(slots(b)).containsExactly(FORWARD + " in " + DB);
            assertThat(subscriptions(g)).containsExactly(FORWARD + " in " + DB + ", enabled, slot " + FORWARD);
            SlotLag running = CatchUp.lag(b, FORWARD);
            assertThat(running.active()).isTrue();
            assertThat(running.current()).isGreaterThanOrEqualTo(running.confirmedFlush());

            // the freeze: the writer stops; nobody holds a transaction id
            assertThat(writer.committed()).isPositive();
            writer.stopAndJoin();
            // a commit is visible before the WAL write position covers it: a target at the write position could be
            // confirmed without it (the walsender sends WAL only once it is flushed)
            String asyncRow = commitVisibleBeforeWritten(b, b2);
            FreezeProof proof = FreezeProof.check(b, List.of());
            assertThat(proof.frozen()).as(proof.describe()).isTrue();
            // the WAL insert position covers it: once green confirmed that, green has the row
            Lsn frozenAt = CatchUp.walInsertLsn(b);
            CatchUpResult caughtUp = CatchUp.waitUntilConfirmed(b, FORWARD, frozenAt, WAIT);
            assertThat(caughtUp.reached()).as(caughtUp.describe()).isTrue();
            assertThat(caughtUp.bytesBehind()).isZero();
            assertThat(CatchUp.lag(b, FORWARD).confirmed(frozenAt)).isTrue();
            assertThat(count(g, "SELECT count(*) FROM events WHERE payload = " + SqlIdentifiers.literal(asyncRow)))
                    .as(caughtUp.describe()).isEqualTo(1);

            // sequences: green is behind before, equal after the copy, ahead by the gap after a copy with one
            List<SequenceValue> blueSequences = Sequences.read(b);
            assertThat(blueSequences).extracting(SequenceValue::key).containsExactly(
                    "Sales Ü.Order \"Lines\"_id_seq", "Sales Ü.count down", "public.accounts_id_seq",
                    "public.events_id_seq", "public.invoice_no");
            assertThat(Sequences.behind(blueSequences, Sequences.read(g))).extracting(SequenceBehind::name)
                    .contains("invoice_no", "count down", "accounts_id_seq", "events_id_seq");
            assertThat(Sequences.write(g, blueSequences, 0)).isEmpty();
            assertThat(Sequences.read(g)).isEqualTo(blueSequences);
            assertThat(Sequences.behind(blueSequences, Sequences.read(g))).isEmpty();
            assertThat(Sequences.write(g, blueSequences, 1000)).isEmpty();
            Map<String, SequenceValue> greenAfterGap = new LinkedHashMap<>();
            Sequences.read(g).forEach(v -> greenAfterGap.put(v.key(), v));
            for (SequenceValue v : blueSequences) {
                assertThat(greenAfterGap.get(v.key()).nextValue())
                        .isEqualTo(v.nextValue().add(BigInteger.valueOf(1000 * v.increment())));
            }
            assertThat(Sequences.behind(blueSequences, Sequences.read(g))).isEmpty();

            // the rows, exactly
            assertThat(fingerprints(g)).isEqualTo(fingerprints(b));

            // green applied nothing committed after the frozen point; a catalog-only transaction on blue (ANALYZE)
            // does not count; a row written through the freeze does, once applied
            assertThat(Subscriptions.appliedUpTo(g, FORWARD)).hasValueSatisfying(applied ->
                    assertThat(applied).isLessThanOrEqualTo(frozenAt));
            b.execute("ANALYZE accounts");
            Lsn afterAnalyze = CatchUp.walInsertLsn(b);
            assertThat(CatchUp.waitUntilConfirmed(b, FORWARD, afterAnalyze, WAIT).reached()).isTrue();
            assertThat(Subscriptions.appliedUpTo(g, FORWARD)).hasValueSatisfying(applied ->
                    assertThat(applied).as("ANALYZE is not a write").isLessThanOrEqualTo(frozenAt));
            b.execute("UPDATE accounts SET balance = balance WHERE id = 1");
            Lsn afterWrite = CatchUp.walInsertLsn(b);
            assertThat(CatchUp.waitUntilConfirmed(b, FORWARD, afterWrite, WAIT).reached()).isTrue();
            assertThat(Subscriptions.appliedUpTo(g, FORWARD)).hasValueSatisfying(applied ->
                    assertThat(applied).isGreaterThan(afterAnalyze));

            // reverse: the forward subscription goes first (blue 15 cannot filter by origin); dropped with its
            // publisher up, it takes its slot on blue along; IF EXISTS makes a second drop a no-op
            g.execute("DROP SUBSCRIPTION " + SqlIdentifiers.quote(FORWARD));
            assertThat(Subscriptions.exists(g, FORWARD)).isFalse();
            assertThat(slots(b)).isEmpty();
            g.execute("DROP SUBSCRIPTION IF EXISTS " + SqlIdentifiers.quote(FORWARD));

            createPublication(g, REVERSE);
            // a subscriber of 15 knows no origin option, neither none nor any: the plan leaves it out there
            for (String origin : List.of("none", "any")) {
                assertThatThrownBy(() -> createSubscription(b, REVERSE, green, DB, "copy_data = false, origin = " + origin))
                        .hasMessageContaining("unrecognized subscription parameter: \"origin\"");
            }
            assertThat(Subscriptions.exists(b, REVERSE)).isFalse();
            assertThat(slots(g)).isEmpty();
            createSubscription(b, REVERSE, green, DB, "copy_data = false");
            assertThat(InitialCopy.waitUntilReady(b, REVERSE, WAIT, Duration.ofMillis(200)).allReady()).isTrue();

            g.execute("INSERT INTO accounts (owner, balance) SELECT 'green ' || i, i FROM generate_series(1, 50) i");
            g.execute("INSERT INTO events (invoice, payload) SELECT nextval('invoice_no'), 'green ' || i FROM generate_series(1, 70) i");
            g.execute("UPDATE " + LINES + " SET note = note || ' (green)' WHERE id % 10 = 0");
            g.execute("DELETE FROM events WHERE id % 100 = 1");
            Lsn greenAt = CatchUp.walInsertLsn(g);
            CatchUpResult back = CatchUp.waitUntilConfirmed(g, REVERSE, greenAt, WAIT);
            assertThat(back.reached()).as(back.describe()).isTrue();
            assertThat(fingerprints(b)).as(() -> back.describe() + "\n" + tail(blue.serverLog()) + "\n" + tail(green.serverLog()))
                    .isEqualTo(fingerprints(g));
            assertThat(count(b, "SELECT count(*) FROM accounts WHERE owner LIKE 'green %'")).isEqualTo(50);

            // everything dropped; the reverse subscription while its publisher (green) is down: DROP SUBSCRIPTION
            // needs the publisher, the drop without it does not
            green.stopServer();
            assertThatThrownBy(() -> b.execute("DROP SUBSCRIPTION " + SqlIdentifiers.quote(REVERSE)))
                    .hasMessageContaining(COULD_NOT_CONNECT);
            assertThat(Subscriptions.exists(b, REVERSE)).isTrue();
            assertThat(subscriptions(b)).containsExactly(REVERSE + " in " + DB + ", enabled, slot " + REVERSE);
            dropWithoutPublisher(b, REVERSE);
            assertThat(Subscriptions.exists(b, REVERSE)).isFalse();
            b.execute("DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(FORWARD));
            assertThat(Publications.exists(b, FORWARD)).isFalse();
            b.execute("DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(FORWARD));
        }
        green.startServer();
        try (SqlSession b = blue.connect(DB); SqlSession g = green.connect(DB)) {
            // the slot of the subscription dropped without its publisher is still there, not in use
            assertThat(slots(g)).containsExactly(REVERSE + " in " + DB);
            assertThat(dropSlots(g, REVERSE)).isEqualTo(1);
            g.execute("DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(REVERSE));
            for (SqlSession s : List.of(b, g)) {
                assertThat(count(s, "SELECT count(*) FROM pg_replication_slots")).isZero();
                assertThat(count(s, "SELECT count(*) FROM pg_subscription")).isZero();
                assertThat(count(s, "SELECT count(*) FROM pg_publication")).isZero();
            }
        }
    }

    @Test
    void aSubscriptionDroppedDuringItsInitialCopyWhilePublisherIsDownLeavesItsSlotAndTableSyncSlots() throws Exception {
        String db = "bulk";
        String name = "pgmigrate_bulk";
        blue.createDatabase(db);
        green.createDatabase(db);
        blue.sql(db, "CREATE TABLE big (id int PRIMARY KEY, pad text)", "CREATE SEQUENCE only_on_blue",
                "INSERT INTO big SELECT i, repeat('x', 100) FROM generate_series(1, 20000) i");
        // green copies slowly: a CHECK constraint that sleeps half a millisecond per row
        green.sql(db, "CREATE FUNCTION slow(int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_sleep(0.0005) IS NOT NULL'",
                "CREATE TABLE big (id int PRIMARY KEY, pad text CHECK (slow(id)))");
        String syncSlot;
        try (SqlSession b = blue.connect(db); SqlSession g = green.connect(db)) {
            assertThat(Sequences.write(g, Sequences.read(b), 0)).extracting(SequenceValue::name).containsExactly("only_on_blue");
            createPublication(b, name);
            createSubscription(g, name, blue, db, "copy_data = true");
            InitialCopy copying = waitForCopy(g, name);
            assertThat(copying.summary()).matches("\"pgmigrate_bulk\": 0 of 1 table ready, 1 copying \\(.* so far\\)");
            // the copy runs over a slot of its own on blue: pg_<subscription oid>_sync_<table oid>_<system id>, all
            // three of the subscriber
            syncSlot = "pg_" + g.query("SELECT oid FROM pg_catalog.pg_subscription WHERE subname = ?", name).get(0).get("oid")
                    + "_sync_" + g.query("SELECT 'big'::regclass::oid AS oid").get(0).get("oid")
                    + "_" + g.query("SELECT system_identifier FROM pg_catalog.pg_control_system()").get(0).get("system_identifier");
            assertThat(slots(b)).containsExactlyInAnyOrder(name + " in " + db, syncSlot + " in " + db);

            blue.stopServer();
            assertThatThrownBy(() -> g.execute("DROP SUBSCRIPTION " + SqlIdentifiers.quote(name)))
                    .hasMessageContaining(COULD_NOT_CONNECT);
            dropWithoutPublisher(g, name);
            assertThat(Subscriptions.exists(g, name)).isFalse();
        } finally {
            blue.startServer();
        }
        try (SqlSession b = blue.connect(db); SqlSession g = green.connect(db)) {
            // both slots are left on blue, unused, and hold WAL there until dropped
            assertThat(slots(b)).containsExactlyInAnyOrder(name + " in " + db, syncSlot + " in " + db);
            // from another database of blue, as the plan's cleanup connected to blue's inventory database does
            try (SqlSession other = blue.connect("postgres")) {
                assertThat(dropSlots(other, name, syncSlot)).isEqualTo(2);
            }
            b.execute("DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(name));
            assertThat(count(b, "SELECT count(*) FROM pg_replication_slots")).isZero();
            assertThat(count(b, "SELECT count(*) FROM pg_publication")).isZero();
            assertThat(count(g, "SELECT count(*) FROM pg_subscription")).isZero();
        }
    }

    @Test
    void theFreezeProofNamesSessionsHoldingATransactionIdAndPreparedTransactionsButNotTheirQueries() {
        blue.sql("postgres", "CREATE TABLE IF NOT EXISTS ledger (id int)");
        try (SqlSession writing = blue.connect("postgres"); SqlSession reading = blue.connect("postgres");
             SqlSession ours = blue.connect("postgres"); SqlSession preparing = blue.connect("postgres");
             SqlSession checker = blue.connect("postgres")) {
            writing.execute("SET application_name = 'shop-app'");
            writing.execute("BEGIN");
            writing.execute("INSERT INTO ledger VALUES (4711)");
            long writerPid = count(writing, "SELECT pg_backend_pid()");
            reading.execute("BEGIN");
            reading.execute("SELECT count(*) FROM ledger");
            ours.execute("BEGIN");
            ours.execute("INSERT INTO ledger VALUES (1)");
            long ourPid = count(ours, "SELECT pg_backend_pid()");
            // another session calling itself pgmigrate is not pgmigrate's: only pids count
            SqlSession impostor = blue.connect("postgres");
            impostor.execute("SET application_name = 'pgmigrate'");
            impostor.execute("BEGIN");
            impostor.execute("INSERT INTO ledger VALUES (3)");
            long impostorPid = count(impostor, "SELECT pg_backend_pid()");
            preparing.execute("BEGIN");
            preparing.execute("INSERT INTO ledger VALUES (2)");
            preparing.execute("PREPARE TRANSACTION 'pgm ''test'' 1'");

            FreezeProof withImpostor = FreezeProof.check(checker, List.of(ourPid));
            assertThat(withImpostor.xidHolders()).extracting(io.pgmigrate.replication.XidHolder::pid)
                    .containsExactlyInAnyOrder(writerPid, impostorPid);
            impostor.execute("ROLLBACK");
            impostor.close();
            FreezeProof proof = FreezeProof.check(checker, List.of(ourPid));
            assertThat(proof.frozen()).isFalse();
            assertThat(proof.xidHolders()).singleElement().satisfies(h -> {
                assertThat(h.pid()).isEqualTo(writerPid);
                assertThat(h.user()).isEqualTo("postgres");
                assertThat(h.database()).isEqualTo("postgres");
                assertThat(h.applicationName()).isEqualTo("shop-app");
                assertThat(h.state()).isEqualTo("idle in transaction");
            });
            assertThat(proof.prepared()).singleElement().satisfies(p -> {
                assertThat(p.gid()).isEqualTo("pgm 'test' 1");
                assertThat(p.database()).isEqualTo("postgres");
            });
            assertThat(proof.describe()).contains("pid " + writerPid, "shop-app", "pgm 'test' 1")
                    .doesNotContain("4711", "INSERT");

            writing.execute("COMMIT");
            checker.execute("ROLLBACK PREPARED 'pgm ''test'' 1'");
            FreezeProof after = FreezeProof.check(checker, List.of(ourPid));
            assertThat(after.frozen()).as(after.describe()).isTrue();
            ours.execute("ROLLBACK");
            reading.execute("ROLLBACK");
        }
    }

    @Test
    void aSlotNameHoldsOnlyLowerCaseLettersDigitsAndUnderscoresIsOnePerClusterAndALongerNameIsCutSilently() {
        for (PgCluster pg : List.of(blue, green)) {
            try (SqlSession s = pg.connect("postgres")) {
                for (String bad : List.of("pgmigrate_Shop", "pgmigrate_shop-a", "pgmigrate_grün")) {
                    assertThatThrownBy(() -> s.query("SELECT pg_catalog.pg_create_logical_replication_slot(?, 'pgoutput')"
                            + " IS NOT NULL AS made", bad)).hasMessageContaining("contains invalid character");
                    assertThat(count(s, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = "
                            + SqlIdentifiers.literal(bad))).isZero();
                }
                // one slot of a name per cluster, whichever database it was made in
                s.query("SELECT pg_catalog.pg_create_logical_replication_slot('pgmigrate_once', 'pgoutput')"
                        + " IS NOT NULL AS made");
                try (SqlSession other = pg.connect("template1")) {
                    assertThatThrownBy(() -> other.query("SELECT pg_catalog.pg_create_logical_replication_slot("
                            + "'pgmigrate_once', 'pgoutput') IS NOT NULL AS made")).hasMessageContaining("already exists");
                }
                assertThat(dropSlots(s, "pgmigrate_once")).isEqualTo(1);
                // 63 bytes at most: a longer name is cut (a notice, no error), and looking for it by the full name
                // finds nothing
                String full = "pgmigrate_" + "ü".repeat(30);
                String cut = "pgmigrate_" + "ü".repeat(26);
                s.execute("CREATE PUBLICATION " + SqlIdentifiers.quote(full));
                assertThat(publications(s)).containsExactly(cut);
                assertThat(Publications.exists(s, full)).isFalse();
                assertThat(Publications.exists(s, cut)).isTrue();
                s.execute("DROP PUBLICATION " + SqlIdentifiers.quote(cut));
            }
        }
    }

    /** The plan's publication: every table. */
    private static void createPublication(SqlSession s, String name) {
        s.execute("CREATE PUBLICATION " + SqlIdentifiers.quote(name) + " FOR ALL TABLES");
    }

    /**
     * The plan's CREATE SUBSCRIPTION (planner {@code LogicalSql}): to the publication of the same name, its slot
     * named alike, no password in the connection string. Returns the connection string.
     */
    private static String createSubscription(SqlSession s, String name, PgCluster publisher, String database,
                                             String options) {
        Map<String, String> keywords = new LinkedHashMap<>();
        keywords.put("host", "127.0.0.1");
        keywords.put("port", Integer.toString(publisher.port()));
        keywords.put("user", PgCluster.SUPERUSER);
        keywords.put("dbname", database);
        keywords.put("sslmode", "disable");
        String conninfo = Conninfo.of(keywords);
        s.execute("CREATE SUBSCRIPTION " + SqlIdentifiers.quote(name) + " CONNECTION " + SqlIdentifiers.literal(conninfo)
                + " PUBLICATION " + SqlIdentifiers.quote(name) + " WITH (" + options + ", slot_name = "
                + SqlIdentifiers.literal(name) + ")");
        return conninfo;
    }

    /** For a publisher that is gone: none of these statements connects to it; the slots stay there. */
    private static void dropWithoutPublisher(SqlSession s, String name) {
        String quoted = SqlIdentifiers.quote(name);
        s.execute("ALTER SUBSCRIPTION " + quoted + " DISABLE");
        s.execute("ALTER SUBSCRIPTION " + quoted + " SET (slot_name = NONE)");
        s.execute("DROP SUBSCRIPTION " + quoted);
    }

    /** The plan's cleanup of leftover slots (planner {@code LogicalPhases}): those named, not in use. How many went. */
    private static int dropSlots(SqlSession s, String... names) {
        String list = Arrays.stream(names).map(SqlIdentifiers::literal).collect(Collectors.joining(", "));
        return s.query("SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots"
                + " WHERE slot_name IN (" + list + ") AND NOT active").size();
    }

    /** Every replication slot of the cluster, table synchronisation slots too: "name in database". */
    private static List<String> slots(SqlSession s) {
        return s.query("SELECT slot_name, database FROM pg_catalog.pg_replication_slots ORDER BY slot_name").stream()
                .map(r -> r.get("slot_name") + " in " + r.get("database")).toList();
    }

    /** Every subscription of the cluster: "name in database, enabled, slot …". */
    private static List<String> subscriptions(SqlSession s) {
        return s.query("SELECT s.subname, d.datname, s.subenabled, s.subslotname FROM pg_catalog.pg_subscription s"
                        + " JOIN pg_catalog.pg_database d ON d.oid = s.subdbid ORDER BY d.datname, s.subname").stream()
                .map(r -> r.get("subname") + " in " + r.get("datname") + ", " + (r.getBool("subenabled") ? "enabled" : "disabled")
                        + ", slot " + r.get("subslotname")).toList();
    }

    /** The publications of the session's database: "name for all tables" or "name". */
    private static List<String> publications(SqlSession s) {
        return s.query("SELECT pubname, puballtables FROM pg_catalog.pg_publication ORDER BY pubname").stream()
                .map(r -> r.get("pubname") + (r.getBool("puballtables") ? " for all tables" : "")).toList();
    }

    /**
     * A transaction committed with {@code synchronous_commit = off} is visible to other sessions while the WAL write
     * position ({@code pg_current_wal_lsn()}) still lies before its commit record: the WAL writer writes it later.
     * Commits one row of events at a time until one shows it (the WAL writer may write between the commit and the
     * look, or be woken by the commit after it fell asleep) and returns that row's payload.
     */
    private static String commitVisibleBeforeWritten(SqlSession s, SqlSession other) {
        s.execute("SET synchronous_commit = off");
        for (int attempt = 1; attempt <= 50; attempt++) {
            String payload = SqlIdentifiers.literal("async " + attempt);
            s.execute("BEGIN");
            s.execute("INSERT INTO events (payload) VALUES (" + payload + ")");
            // the commit record comes after this position
            Lsn beforeCommit = CatchUp.walInsertLsn(s);
            s.execute("COMMIT");
            assertThat(count(other, "SELECT count(*) FROM events WHERE payload = " + payload)).isEqualTo(1);
            Lsn written = Lsn.parse(other.query("SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn").get(0).get("lsn"));
            if (written.compareTo(beforeCommit) <= 0) {
                return "async " + attempt;
            }
        }
        throw new AssertionError("in 50 commits with synchronous_commit = off, the WAL write position always covered"
                + " the commit by the time another session saw its row");
    }

    private static InitialCopy waitForCopy(SqlSession g, String subscription) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            InitialCopy c = InitialCopy.read(g, subscription);
            if (c.tables().stream().anyMatch(t -> t.state() == SyncState.DATA_COPY && t.bytesCopied() != null
                    && t.bytesCopied() > 0)) {
                return c;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the initial copy of " + subscription + " never showed progress");
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 4000));
    }

    private static long count(SqlSession s, String sql) {
        return Long.parseLong(s.query(sql).get(0).values().values().iterator().next());
    }

    /** Per table: row count and an order-independent sum of the rows' hashes. */
    private static Map<String, String> fingerprints(SqlSession s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : TABLES) {
            out.put(t, s.query("SELECT count(*) || '/' || coalesce(sum(hashtext(x::text)), 0) AS f FROM " + t + " x")
                    .get(0).get("f"));
        }
        return out;
    }

    /** A client of blue: inserts, updates and takes sequence values in short transactions until stopped. */
    private static final class Writer extends Thread {
        private final PgCluster cluster;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong committed = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Writer(PgCluster cluster) {
            super("blue-writer");
            this.cluster = cluster;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (SqlSession s = cluster.connect(DB)) {
                s.execute("SET application_name = 'shop-app'");
                for (long n = 1; running.get(); n++) {
                    s.execute("INSERT INTO events (invoice, payload) VALUES (nextval('invoice_no'), 'live " + n + "')");
                    s.execute("INSERT INTO " + LINES + " (account, note) VALUES (" + (n % 2000 + 1) + ", 'live " + n + "')");
                    s.execute("UPDATE accounts SET balance = balance + 1 WHERE id = " + (n % 2000 + 1));
                    if (n % 5 == 0) {
                        s.execute("SELECT nextval('\"Sales Ü\".\"count down\"')");
                    }
                    committed.incrementAndGet();
                    Thread.sleep(2);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        long committed() {
            return committed.get();
        }

        void stopAndJoin() throws InterruptedException {
            running.set(false);
            join(30_000);
            if (failure.get() != null) {
                throw new AssertionError("the writer failed", failure.get());
            }
        }
    }
}
