package io.pgmigrate.replication;

import io.pgmigrate.pg.Lsn;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The building blocks of the logical strategy on a real pair: PostgreSQL 15 as blue, 18 as green, both with
 * {@code wal_level = logical}. Blue → green with a writer running, the initial copy, the freeze, catch-up
 * by LSN, sequences, exact rows; then green → blue without a copy, and everything dropped again, once over
 * an unreachable publisher; a subscription dropped during its initial copy while its publisher is down, and
 * the table synchronisation slots it leaves there.
 */
class ReplicationIT {
    private static final String PREFIX = "pgmigrate_";
    private static final String DB = "shop \"Grün\" ü";
    private static final String LINES = SqlIdentifiers.qualified("Sales Ü", "Order \"Lines\"");
    private static final List<String> TABLES = List.of("public.accounts", LINES, "public.events");
    private static final List<String> OWN = List.of("pgmigrate");
    private static final Duration WAIT = Duration.ofSeconds(120);

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
            pg.appendConfig(List.of("wal_level = logical", "max_replication_slots = 10", "max_wal_senders = 10",
                    "wal_sender_timeout = 10s"));
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
        ReplicationNames toGreen = ReplicationNames.of(PREFIX, "green", DB);
        PublisherConnection blueAddress = new PublisherConnection("127.0.0.1", blue.port(), "postgres", DB, "disable");
        assertThat(blueAddress.conninfo()).doesNotContain("password");

        Writer writer = new Writer(blue);
        writer.start();
        try (SqlSession b = blue.connect(DB); SqlSession g = green.connect(DB)) {
            // publication and subscription, each created once
            assertThat(Publications.ensureForAllTables(b, toGreen.publication())).isEqualTo(Outcome.CREATED);
            assertThat(Publications.ensureForAllTables(b, toGreen.publication())).isEqualTo(Outcome.ALREADY_PRESENT);
            SubscriptionSpec forward = SubscriptionSpec.initialCopy(toGreen, blueAddress);
            assertThat(Subscriptions.ensure(g, forward)).isEqualTo(Outcome.CREATED);
            assertThat(Subscriptions.ensure(g, forward)).isEqualTo(Outcome.ALREADY_PRESENT);
            assertThat(g.query("SELECT subconninfo FROM pg_subscription").get(0).get("subconninfo"))
                    .doesNotContain("password");
            assertThat(ReplicationSlots.find(b, toGreen.slot())).isPresent();
            ReplicationObjects onBlue = ReplicationObjects.find(b, PREFIX);
            assertThat(onBlue.publications()).containsExactly(toGreen.publication());
            assertThat(onBlue.slots()).extracting(SlotInfo::name, SlotInfo::database).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(toGreen.slot(), DB));
            assertThat(ReplicationObjects.find(g, PREFIX).subscriptions()).extracting(SubscriptionInfo::name,
                    SubscriptionInfo::database).containsExactly(org.assertj.core.groups.Tuple.tuple(toGreen.subscription(), DB));

            // the initial copy, until every table is ready
            InitialCopy copy = InitialCopy.waitUntilReady(g, toGreen.subscription(), WAIT, Duration.ofMillis(200));
            assertThat(copy.allReady()).as(copy.summary()).isTrue();
            assertThat(copy.tables()).extracting(t -> t.schema() + "." + t.table())
                    .containsExactly("Sales Ü.Order \"Lines\"", "public.accounts", "public.events");
            assertThat(copy.summary()).isEqualTo(SqlIdentifiers.quote(toGreen.subscription()) + ": 3 of 3 tables ready");

            SlotLag running = CatchUp.lag(b, toGreen.slot());
            assertThat(running.active()).isTrue();
            assertThat(running.current()).isGreaterThanOrEqualTo(running.confirmedFlush());

            // the freeze: the writer stops; nobody holds a transaction id; blue's position is confirmed by green
            assertThat(writer.committed()).isPositive();
            writer.stopAndJoin();
            FreezeProof proof = FreezeProof.check(b, OWN);
            assertThat(proof.frozen()).as(proof.describe()).isTrue();
            Lsn frozenAt = CatchUp.walInsertLsn(b);
            CatchUpResult caughtUp = CatchUp.waitUntilConfirmed(b, toGreen.slot(), frozenAt, WAIT);
            assertThat(caughtUp.reached()).as(caughtUp.describe()).isTrue();
            assertThat(caughtUp.bytesBehind()).isZero();
            assertThat(CatchUp.lag(b, toGreen.slot()).confirmed(frozenAt)).isTrue();

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
                        .isEqualTo(v.nextValue().add(java.math.BigInteger.valueOf(1000 * v.increment())));
            }
            assertThat(Sequences.behind(blueSequences, Sequences.read(g))).isEmpty();

            // the rows, exactly
            assertThat(fingerprints(g)).isEqualTo(fingerprints(b));

            // reverse: the forward subscription goes first (blue 15 cannot filter by origin)
            SubscriptionDrop forwardDrop = Subscriptions.drop(g, toGreen.subscription());
            assertThat(forwardDrop.existed()).isTrue();
            assertThat(forwardDrop.leftOnPublisher()).isNull();
            assertThat(ReplicationSlots.find(b, toGreen.slot())).isEmpty();
            assertThat(Subscriptions.drop(g, toGreen.subscription()).existed()).isFalse();

            ReplicationNames toBlue = ReplicationNames.of(PREFIX, "blue", DB);
            PublisherConnection greenAddress = new PublisherConnection("127.0.0.1", green.port(), "postgres", DB, "disable");
            assertThat(Publications.ensureForAllTables(g, toBlue.publication())).isEqualTo(Outcome.CREATED);
            assertThatThrownBy(() -> Subscriptions.ensure(b, SubscriptionSpec.withoutCopy(toBlue, greenAddress, Origin.NONE)))
                    .hasMessageContaining("origin = none needs a subscriber of PostgreSQL 16 or later (this one is 15)");
            assertThat(Subscriptions.exists(b, toBlue.subscription())).isFalse();
            SubscriptionSpec reverse = SubscriptionSpec.withoutCopy(toBlue, greenAddress, Origin.ANY);
            assertThat(Subscriptions.ensure(b, reverse)).isEqualTo(Outcome.CREATED);
            assertThat(InitialCopy.waitUntilReady(b, toBlue.subscription(), WAIT, Duration.ofMillis(200)).allReady()).isTrue();

            g.execute("INSERT INTO accounts (owner, balance) SELECT 'green ' || i, i FROM generate_series(1, 50) i");
            g.execute("INSERT INTO events (invoice, payload) SELECT nextval('invoice_no'), 'green ' || i FROM generate_series(1, 70) i");
            g.execute("UPDATE " + LINES + " SET note = note || ' (green)' WHERE id % 10 = 0");
            g.execute("DELETE FROM events WHERE id % 100 = 1");
            Lsn greenAt = CatchUp.walInsertLsn(g);
            CatchUpResult back = CatchUp.waitUntilConfirmed(g, toBlue.slot(), greenAt, WAIT);
            assertThat(back.reached()).as(back.describe()).isTrue();
            assertThat(fingerprints(b)).as(() -> back.describe() + "\n" + tail(blue.serverLog()) + "\n" + tail(green.serverLog()))
                    .isEqualTo(fingerprints(g));
            assertThat(count(b, "SELECT count(*) FROM accounts WHERE owner LIKE 'green %'")).isEqualTo(50);

            // everything dropped; the reverse subscription while its publisher (green) is down
            green.stopServer();
            SubscriptionDrop reverseDrop = Subscriptions.drop(b, toBlue.subscription());
            assertThat(reverseDrop.existed()).isTrue();
            assertThat(reverseDrop.reason()).contains("could not connect to");
            assertThat(reverseDrop.leftOnPublisher().slotName()).isEqualTo(toBlue.slot());
            assertThat(Subscriptions.exists(b, toBlue.subscription())).isFalse();
            assertThat(Publications.drop(b, toGreen.publication())).isTrue();
            assertThat(Publications.drop(b, toGreen.publication())).isFalse();
        }
        green.startServer();
        try (SqlSession b = blue.connect(DB); SqlSession g = green.connect(DB)) {
            ReplicationNames toBlue = ReplicationNames.of(PREFIX, "blue", DB);
            assertThat(ReplicationObjects.find(g, PREFIX).slots()).extracting(SlotInfo::name).containsExactly(toBlue.slot());
            assertThat(ReplicationSlots.dropLeftovers(g, new LeftOnPublisher(toBlue.slot(), 0)))
                    .containsExactly(toBlue.slot());
            assertThat(Publications.drop(g, toBlue.publication())).isTrue();
            for (SqlSession s : List.of(b, g)) {
                ReplicationObjects left = ReplicationObjects.find(s, PREFIX);
                assertThat(left.isEmpty()).as(left.describe()).isTrue();
                assertThat(count(s, "SELECT count(*) FROM pg_replication_slots")).isZero();
                assertThat(count(s, "SELECT count(*) FROM pg_subscription")).isZero();
                assertThat(count(s, "SELECT count(*) FROM pg_publication")).isZero();
            }
        }
    }

    @Test
    void aSubscriptionDroppedDuringItsInitialCopyWhilePublisherIsDownLeavesSlotsThatAreFoundAndDropped() throws Exception {
        String db = "bulk";
        blue.createDatabase(db);
        green.createDatabase(db);
        blue.sql(db, "CREATE TABLE big (id int PRIMARY KEY, pad text)", "CREATE SEQUENCE only_on_blue",
                "INSERT INTO big SELECT i, repeat('x', 100) FROM generate_series(1, 20000) i");
        // green copies slowly: a CHECK constraint that sleeps half a millisecond per row
        green.sql(db, "CREATE FUNCTION slow(int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_sleep(0.0005) IS NOT NULL'",
                "CREATE TABLE big (id int PRIMARY KEY, pad text CHECK (slow(id)))");
        ReplicationNames names = ReplicationNames.of(PREFIX, "green", db);
        SubscriptionDrop left;
        try (SqlSession b = blue.connect(db); SqlSession g = green.connect(db)) {
            assertThat(Sequences.write(g, Sequences.read(b), 0)).extracting(SequenceValue::name).containsExactly("only_on_blue");
            Publications.ensureForAllTables(b, names.publication());
            // an earlier attempt died after creating the slot on blue, before the subscription committed on green
            b.query("SELECT pg_create_logical_replication_slot(?, 'pgoutput') AS slot", names.slot());
            assertThat(Subscriptions.ensure(g, b, SubscriptionSpec.initialCopy(names,
                    new PublisherConnection("127.0.0.1", blue.port(), "postgres", db, "disable")))).isEqualTo(Outcome.CREATED);
            InitialCopy copying = waitForCopy(g, names.subscription());
            assertThat(copying.summary()).matches("\"pgmigrate_green_bulk\": 0 of 1 table ready, 1 copying \\(.* so far\\)");
            assertThat(ReplicationSlots.tableSyncSlots(b)).hasSize(1);

            blue.stopServer();
            left = Subscriptions.drop(g, names.subscription());
            assertThat(left.reason()).contains("could not connect to");
            assertThat(left.leftOnPublisher().slotName()).isEqualTo(names.slot());
            assertThat(Subscriptions.exists(g, names.subscription())).isFalse();
        } finally {
            blue.startServer();
        }
        try (SqlSession b = blue.connect(db); SqlSession g = green.connect(db)) {
            ReplicationObjects before = ReplicationObjects.find(b, PREFIX);
            assertThat(before.slots()).extracting(SlotInfo::name).containsExactly(names.slot());
            assertThat(before.tableSyncSlots()).singleElement()
                    .satisfies(slot -> assertThat(slot.name()).startsWith(left.leftOnPublisher().syncSlotPrefix()));
            // from another database of blue, as a cleanup connected to "postgres" would
            try (SqlSession other = blue.connect("postgres")) {
                assertThat(ReplicationSlots.dropLeftovers(other, left.leftOnPublisher()))
                        .containsExactly(names.slot(), before.tableSyncSlots().get(0).name());
            }
            assertThat(Publications.drop(b, names.publication())).isTrue();
            ReplicationObjects after = ReplicationObjects.find(b, PREFIX);
            assertThat(after.isEmpty()).as(after.describe()).isTrue();
            assertThat(count(b, "SELECT count(*) FROM pg_replication_slots")).isZero();
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
            preparing.execute("BEGIN");
            preparing.execute("INSERT INTO ledger VALUES (2)");
            preparing.execute("PREPARE TRANSACTION 'pgm ''test'' 1'");

            FreezeProof proof = FreezeProof.check(checker, OWN);
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
            FreezeProof after = FreezeProof.check(checker, OWN);
            assertThat(after.frozen()).as(after.describe()).isTrue();
            ours.execute("ROLLBACK");
            reading.execute("ROLLBACK");
        }
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
