package io.pgmigrate.verify;

import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.verify.DifferingRow.Change;
import io.pgmigrate.verify.FingerprintCheck.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same data loaded into a PostgreSQL 15 and a PostgreSQL 18 cluster whose databases print text
 * differently by default (TimeZone, DateStyle, IntervalStyle, extra_float_digits, bytea_output):
 * every table fingerprints alike; a changed value, a lost duplicate, swapped values are caught and
 * narrowed to their keys where the table has one; row order does not matter.
 */
class FingerprintIT {
    private static final String DB = "shop";
    private static final TableRef SELECT = new TableRef(DB, "public", "select");
    private static final TableRef MIXED = new TableRef(DB, "Ünïcode \"Sch\"", "Mixed Case \"Quoted\" Table");
    private static final TableRef NO_PK = new TableRef(DB, "public", "no pk");
    private static final TableRef EVENTS = new TableRef(DB, "public", "events");
    private static final TableRef EVENTS_ACME = new TableRef(DB, "public", "events_acme");
    private static final TableRef INH_PARENT = new TableRef(DB, "public", "inh_parent");

    private static PgCluster pg15;
    private static PgCluster pg18;
    /** Statements that undo a test's change on PostgreSQL 18, run after it. */
    private final List<String> undo = new ArrayList<>();

    private static final String[] SCHEMA = {
            "CREATE SCHEMA \"Ünïcode \"\"Sch\"\"\"",
            "CREATE TYPE \"Ünïcode \"\"Sch\"\"\".mood AS ENUM ('sad', 'ok', 'happy')",
            "CREATE TYPE public.pair AS (x int, label text)",
            "CREATE DOMAIN public.positive AS int CHECK (VALUE > 0)",
            // a reserved word; an enum, timestamptz in a range and an array, a dropped column
            """
            CREATE TABLE public."select" (id int PRIMARY KEY, mood "Ünïcode ""Sch""\".mood, at timestamptz,
              during tstzrange, stamps timestamptz[], dropped text, note text, a int, b int)""",
            "ALTER TABLE public.\"select\" DROP COLUMN dropped",
            // intervals in hours and minutes only: adding days to a timestamptz depends on the TimeZone
            """
            INSERT INTO public."select" SELECT i, (ARRAY['sad','ok','happy'])[1 + i % 3]::"Ünïcode ""Sch""\".mood,
              timestamptz '2024-03-10 01:30:00+00' + i * interval '37 minutes',
              tstzrange(timestamptz '2024-03-31 00:59:00+00' + i * interval '1 hour',
                        timestamptz '2024-03-31 00:59:00+00' + i * interval '25 hours'),
              ARRAY[timestamptz '2024-10-27 00:30:00+00' + i * interval '1 minute', NULL],
              E'note ' || i || E' \\\\ ''q'' "d"\\nünï ✓ 😀', i, 2 * i
            FROM generate_series(1, 20000) i""",
            // unicode, quotes and spaces in names; every awkward type; a generated column
            """
            CREATE TABLE "Ünïcode ""Sch""\"."Mixed Case ""Quoted"" Table" ("Key" uuid PRIMARY KEY, f8 float8,
              f4 float4, num numeric(20,6), js jsonb, arr int[], tags text[], bin bytea, span interval, price money,
              pr public.pair, qty public.positive, code varchar(10), fixed char(6), flag boolean, born date,
              twice numeric GENERATED ALWAYS AS (num * 2) STORED)""",
            """
            INSERT INTO "Ünïcode ""Sch""\"."Mixed Case ""Quoted"" Table" ("Key", f8, f4, num, js, arr, tags, bin, span,
              price, pr, qty, code, fixed, flag, born)
            SELECT md5(i::text)::uuid, i::float8 / 7, (i::float8 / 3)::float4, i * 1.000001,
              jsonb_build_object('i', i, 'x', i / 8.0, 'arr', jsonb_build_array(1, 'two', NULL, 2.50)),
              ARRAY[i, NULL, -i], ARRAY['a b', 'c"d', NULL, ''], decode(md5(i::text), 'hex'),
              make_interval(months => i % 13, days => i % 31, secs => i / 7.0), (i * 1.25)::numeric::money,
              ROW(i, 'x y ' || i)::public.pair, i, 'c' || i, 'f' || (i % 100), i % 2 = 0, date '2000-01-01' + i
            FROM generate_series(1, 3000) i""",
            "INSERT INTO \"Ünïcode \"\"Sch\"\"\".\"Mixed Case \"\"Quoted\"\" Table\" (\"Key\", f8) VALUES "
                    + "('00000000-0000-0000-0000-000000000000', '-0'), ('00000000-0000-0000-0000-000000000001', 'NaN')",
            // no key, duplicate rows
            "CREATE TABLE public.\"no pk\" (k int, v text)",
            "INSERT INTO public.\"no pk\" VALUES (1, 'a'), (1, 'a'), (2, 'b'), (2, 'b'), (2, 'b'), (3, NULL)",
            // partitioned, a composite key with a text column
            """
            CREATE TABLE public.events (tenant text, id int, payload jsonb, at timestamptz, PRIMARY KEY (tenant, id))
              PARTITION BY LIST (tenant)""",
            "CREATE TABLE public.events_acme PARTITION OF public.events FOR VALUES IN ('acme')",
            "CREATE TABLE public.\"events Ünï\" PARTITION OF public.events FOR VALUES IN ('ünï', 'Zed')",
            "CREATE TABLE public.events_other PARTITION OF public.events DEFAULT",
            """
            INSERT INTO public.events SELECT (ARRAY['acme', 'ünï', 'Zed', 'other'])[1 + i % 4], i,
              jsonb_build_object('n', i), timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second'
            FROM generate_series(1, 8000) i""",
            "CREATE UNLOGGED TABLE public.scratch (id int PRIMARY KEY, v text)",
            "INSERT INTO public.scratch SELECT i, 'v' || i FROM generate_series(1, 50) i",
            // inheritance: each table hashes its own rows
            "CREATE TABLE public.inh_parent (id int, v text)",
            "CREATE TABLE public.inh_child () INHERITS (public.inh_parent)",
            "INSERT INTO public.inh_parent VALUES (1, 'parent')",
            "INSERT INTO public.inh_child VALUES (2, 'child'), (3, 'child')",
            "CREATE TABLE public.no_columns ()",
            "INSERT INTO public.no_columns DEFAULT VALUES",
            "INSERT INTO public.no_columns DEFAULT VALUES"};

    @BeforeAll
    static void load() {
        pg15 = PgCluster.start(15);
        pg18 = PgCluster.start(18);
        for (PgCluster pg : List.of(pg15, pg18)) {
            pg.createDatabase(DB);
        }
        pg15.sql("postgres", "ALTER DATABASE shop SET timezone = 'America/New_York'");
        pg18.sql("postgres", "ALTER DATABASE shop SET timezone = 'Asia/Kolkata'",
                "ALTER DATABASE shop SET datestyle = 'SQL, DMY'", "ALTER DATABASE shop SET intervalstyle = 'iso_8601'",
                "ALTER DATABASE shop SET extra_float_digits = 0", "ALTER DATABASE shop SET bytea_output = 'escape'");
        pg15.sql(DB, SCHEMA);
        pg18.sql(DB, SCHEMA);
    }

    @AfterAll
    static void stop() {
        for (PgCluster pg : new PgCluster[] {pg15, pg18}) {
            if (pg != null) {
                pg.close();
            }
        }
    }

    @AfterEach
    void undo() {
        if (!undo.isEmpty()) {
            pg18.sql(DB, undo.toArray(String[]::new));
            undo.clear();
        }
    }

    private static List<TableFingerprint> fingerprints(PgCluster pg, long slicePages) {
        List<HashTarget> targets;
        try (SqlSession s = pg.connect(DB)) {
            targets = HashTargets.list(s);
        }
        return FingerprintRun.run(targets, pg::connect, 2, slicePages);
    }

    private static List<FingerprintCheck> compare() {
        return FingerprintComparison.compare(fingerprints(pg15, Fingerprinter.DEFAULT_SLICE_PAGES),
                fingerprints(pg18, Fingerprinter.DEFAULT_SLICE_PAGES), selfTest());
    }

    private static HashSelfTest.Outcome selfTest() {
        try (SqlSession a = pg15.connect(DB); SqlSession b = pg18.connect(DB)) {
            return HashSelfTest.compare(HashSelfTest.run(Fingerprinter.on(a)), HashSelfTest.run(Fingerprinter.on(b)));
        }
    }

    private static FingerprintCheck check(List<FingerprintCheck> checks, TableRef table) {
        return checks.stream().filter(c -> c.table().equals(table)).findFirst().orElseThrow();
    }

    private static Narrowing narrow(TableRef table) {
        try (SqlSession a = pg15.connect(DB); SqlSession b = pg18.connect(DB)) {
            return KeyBisection.narrow(Fingerprinter.on(a), Fingerprinter.on(b), table, KeyBisection.DEFAULT_ROWS);
        }
    }

    private void change(String statement, String undoStatement) {
        undo.add(undoStatement);
        pg18.sql(DB, statement);
    }

    @Test
    void theSameDataFingerprintsAlikeOn15And18WhateverTheDatabasesPrintByDefault() {
        HashSelfTest.Outcome selfTest = selfTest();
        assertThat(selfTest.trusted()).as(selfTest.detail()).isTrue();

        List<FingerprintCheck> checks = compare();
        assertThat(checks).extracting(c -> c.table().schema() + "." + c.table().name()).containsExactly(
                "public.events Ünï", "public.events_acme", "public.events_other", "public.inh_child",
                "public.inh_parent", "public.no pk", "public.no_columns", "public.scratch", "public.select",
                "Ünïcode \"Sch\".Mixed Case \"Quoted\" Table");
        assertThat(checks).allSatisfy(c -> assertThat(c.verdict()).as(c.table() + ": " + c.detail()).isEqualTo(Verdict.SAME));
        assertThat(check(checks, SELECT).after().rows()).isEqualTo(20_000);
        assertThat(check(checks, MIXED).after().rows()).isEqualTo(3_002);
        assertThat(check(checks, NO_PK).after().rows()).isEqualTo(6);
        assertThat(check(checks, INH_PARENT).after().rows()).isEqualTo(1);
        assertThat(check(checks, new TableRef(DB, "public", "no_columns")).after().rows()).isEqualTo(2);
    }

    @Test
    void leafPartitionsAreListedWithTheirRootAndUnloggedTablesAreMarked() {
        try (SqlSession s = pg18.connect(DB)) {
            List<HashTarget> targets = HashTargets.list(s);
            assertThat(targets).extracting(HashTarget::table).doesNotContain(EVENTS).contains(EVENTS_ACME);
            assertThat(targets).filteredOn(t -> EVENTS.equals(t.partitionOf())).extracting(t -> t.table().name())
                    .containsExactlyInAnyOrder("events_acme", "events Ünï", "events_other");
            assertThat(targets).filteredOn(HashTarget::unlogged).extracting(t -> t.table().name()).containsExactly("scratch");
            assertThat(targets.get(0).table()).isEqualTo(SELECT);
        }
    }

    @Test
    void timestamptzHashesAlikeUnderDifferentTimeZonesOnlyBecauseTheSettingsArePinned() {
        try (SqlSession a = pg15.connect(DB); SqlSession b = pg18.connect(DB)) {
            // pgjdbc sends the JVM's zone when it connects, which overrides ALTER DATABASE ... SET timezone;
            // a client that sends none (psql, or a JVM elsewhere) gets the database's: set that here
            a.execute("SET TimeZone = 'America/New_York'");
            b.execute("SET TimeZone = 'Asia/Kolkata'");
            String sql = FingerprintSql.fingerprint(shape(SELECT), BlockRange.WHOLE);
            assertThat(a.query(sql).get(0).get("hash")).as("unpinned: tstzrange and timestamptz[] print in the zone")
                    .isNotEqualTo(b.query(sql).get(0).get("hash"));
            assertThat(Fingerprinter.on(a).fingerprint(SELECT).hash()).isEqualTo(Fingerprinter.on(b).fingerprint(SELECT).hash());
        }
    }

    @Test
    void theDatabasesIntervalStyleWouldChangeTheHashWithoutPinnedSettings() {
        try (SqlSession a = pg15.connect(DB); SqlSession b = pg18.connect(DB)) {
            String sql = FingerprintSql.fingerprint(shape(MIXED), BlockRange.WHOLE);
            assertThat(a.query(sql).get(0).get("hash")).isNotEqualTo(b.query(sql).get(0).get("hash"));
        }
    }

    private static TableShape shape(TableRef table) {
        try (SqlSession s = pg18.connect(DB)) {
            return Fingerprinter.on(s).shape(table);
        }
    }

    @Test
    void oneChangedValueIsCaughtAndNarrowedToItsRow() {
        change("UPDATE public.\"select\" SET note = note || '!' WHERE id = 12345",
                "UPDATE public.\"select\" SET note = left(note, -1) WHERE id = 12345");
        FingerprintCheck c = check(compare(), SELECT);
        assertThat(c.verdict()).isEqualTo(Verdict.DIFFERENT);
        assertThat(c.detail()).isEqualTo("same 20000 rows, but their contents differ");

        Narrowing n = narrow(SELECT);
        assertThat(n.notNarrowed()).isNull();
        assertThat(n.keyColumns()).containsExactly("id");
        assertThat(n.rows()).containsExactly(new DifferingRow(List.of("12345"), Change.CHANGED));
        assertThat(n.more()).isFalse();
    }

    @Test
    void aLostAndAnAddedRowUnderACompositeTextKeyAreNamedByTheirKeys() {
        change("DELETE FROM public.events WHERE tenant = 'acme' AND id = 4",
                "INSERT INTO public.events VALUES ('acme', 4, '{\"n\": 4}', timestamptz '2024-01-01 00:00:04+00')");
        change("INSERT INTO public.events VALUES ('acme', 100004, '{\"n\": 4}', timestamptz '2024-01-01 00:00:04+00')",
                "DELETE FROM public.events WHERE id = 100004");
        FingerprintCheck c = check(compare(), EVENTS_ACME);
        assertThat(c.verdict()).isEqualTo(Verdict.DIFFERENT);
        assertThat(c.before().rows()).isEqualTo(c.after().rows());

        Narrowing n = narrow(EVENTS_ACME);
        assertThat(n.keyColumns()).containsExactly("tenant", "id");
        assertThat(n.rows()).containsExactly(new DifferingRow(List.of("acme", "4"), Change.MISSING_AFTER),
                new DifferingRow(List.of("acme", "100004"), Change.ADDED_AFTER));
    }

    @Test
    void aLostDuplicateInATableWithoutKeyChangesCountAndHashAndIsNotNarrowed() {
        change("DELETE FROM public.\"no pk\" WHERE ctid = (SELECT min(ctid) FROM public.\"no pk\" WHERE k = 2)",
                "INSERT INTO public.\"no pk\" VALUES (2, 'b')");
        FingerprintCheck c = check(compare(), NO_PK);
        assertThat(c.verdict()).isEqualTo(Verdict.DIFFERENT);
        assertThat(c.detail()).isEqualTo("5 rows after, 6 before");
        assertThat(c.after().hash()).isNotEqualTo(c.before().hash());

        Narrowing n = narrow(NO_PK);
        assertThat(n.rows()).isEmpty();
        assertThat(n.notNarrowed()).isEqualTo("it has no primary key or unique index over NOT NULL columns on the "
                + "old cluster, so its rows cannot be matched between the clusters (ctid differs after a copy)");
    }

    @Test
    void rowOrderDoesNotMatter() {
        pg18.sql(DB, "CREATE INDEX select_b_desc ON public.\"select\" (b DESC)",
                "CLUSTER public.\"select\" USING select_b_desc", "DROP INDEX public.select_b_desc");
        String first = "SELECT id FROM public.\"select\" LIMIT 1";
        try (SqlSession a = pg15.connect(DB); SqlSession b = pg18.connect(DB)) {
            assertThat(b.query(first).get(0).get("id")).isNotEqualTo(a.query(first).get(0).get("id"));
        }
        assertThat(check(compare(), SELECT).verdict()).isEqualTo(Verdict.SAME);
    }

    @Test
    void valuesSwappedBetweenColumnsOrBetweenRowsChangeTheFingerprint() {
        change("UPDATE public.\"select\" SET a = b, b = a WHERE id = 5", "UPDATE public.\"select\" SET a = b, b = a WHERE id = 5");
        assertThat(check(compare(), SELECT).verdict()).isEqualTo(Verdict.DIFFERENT);
        undo();

        // the same multiset of values in every column, only paired differently in two rows
        String swap = "UPDATE public.\"select\" t SET note = o.note FROM public.\"select\" o "
                + "WHERE (t.id, o.id) IN ((6, 7), (7, 6))";
        change(swap, swap);
        assertThat(check(compare(), SELECT).verdict()).isEqualTo(Verdict.DIFFERENT);
        assertThat(narrow(SELECT).rows()).containsExactly(new DifferingRow(List.of("6"), Change.CHANGED),
                new DifferingRow(List.of("7"), Change.CHANGED));
    }

    @Test
    void aRoleUnderRowLevelSecurityIsRefusedRatherThanShownFewerRows() {
        pg18.sql(DB, "CREATE TABLE public.secret (id int PRIMARY KEY)", "INSERT INTO public.secret VALUES (1), (2)",
                "ALTER TABLE public.secret ENABLE ROW LEVEL SECURITY", "CREATE POLICY only_one ON public.secret USING (id = 1)",
                "CREATE ROLE auditor LOGIN", "GRANT SELECT ON public.secret TO auditor");
        try (SqlSession s = JdbcSqlSession.open("127.0.0.1", pg18.port(), "auditor", DB, "disable")) {
            assertThat(s.query("SELECT count(*) AS n FROM public.secret").get(0).getLong("n")).isEqualTo(1);
            Fingerprinter f = Fingerprinter.on(s);
            assertThatThrownBy(() -> f.fingerprint(new TableRef(DB, "public", "secret")))
                    .hasMessageContaining("row-level security");
        } finally {
            pg18.sql(DB, "DROP TABLE public.secret", "DROP ROLE auditor");
        }
    }

    @Test
    void slicesOfATableAddUpToTheWholeTablesFingerprint() {
        TableFingerprint whole;
        try (SqlSession s = pg18.connect(DB)) {
            whole = Fingerprinter.on(s).fingerprint(SELECT);
        }
        TableFingerprint sliced = fingerprints(pg18, 8).stream().filter(f -> f.table().equals(SELECT)).findFirst()
                .orElseThrow();
        assertThat(sliced.rows()).isEqualTo(whole.rows());
        assertThat(sliced.hash()).isEqualTo(whole.hash());
    }

    /** Where the baseline cuts a table (chosen on 15, as a baseline of the old cluster is). */
    private static KeyBuckets cut(TableRef table) {
        try (SqlSession s = pg15.connect(DB)) {
            HashTarget t = HashTargets.list(s).stream().filter(x -> x.table().equals(table)).findFirst().orElseThrow();
            Fingerprinter f = Fingerprinter.on(s);
            return f.cut(f.shape(table), t.pages(), t.estimatedRows());
        }
    }

    private static TableFingerprint ranged(PgCluster pg, TableRef table, KeyBuckets cut) {
        try (SqlSession s = pg.connect(DB)) {
            Fingerprinter f = Fingerprinter.on(s);
            return f.fingerprint(f.shape(table), BlockRange.WHOLE, cut);
        }
    }

    @Test
    void keyRangesCutOn15HashAlikeOn18AndAddUpToTheTablesFingerprint() {
        for (TableRef table : List.of(SELECT, MIXED, new TableRef(DB, "public", "events Ünï"))) {
            KeyBuckets cut = cut(table);
            assertThat(cut).as(table.toString()).isNotNull();
            TableFingerprint old = ranged(pg15, table, cut);
            TableFingerprint neu = ranged(pg18, table, cut);
            assertThat(neu.buckets()).as(table.toString()).isEqualTo(old.buckets());
            assertThat(old.buckets().buckets()).hasSizeGreaterThan(1);
            try (SqlSession s = pg18.connect(DB)) {
                TableFingerprint plain = Fingerprinter.on(s).fingerprint(table);
                assertThat(neu.hash()).isEqualTo(plain.hash());
                assertThat(neu.rows()).isEqualTo(plain.rows());
            }
        }
        // text under "C" on both: 'Zed' sorts before 'ünï'
        assertThat(cut(new TableRef(DB, "public", "events Ünï")).bounds()).containsExactly("ünï");
        assertThat(cut(MIXED).column().name()).isEqualTo("Key");
    }

    @Test
    void slicesWithKeyRangesAddUpRangeByRange() {
        TableFingerprint sliced = FingerprintRun.run(List.of(target(SELECT)), pg15::connect, 2, 8, true).get(0);
        TableFingerprint whole = ranged(pg15, SELECT, cut(SELECT));
        assertThat(sliced.buckets()).isEqualTo(whole.buckets());
        assertThat(sliced.hash()).isEqualTo(whole.hash());
        assertThat(FingerprintRun.run(List.of(target(SELECT)), pg15::connect, 2, 8).get(0).buckets()).isNull();
    }

    private static HashTarget target(TableRef table) {
        try (SqlSession s = pg15.connect(DB)) {
            return HashTargets.list(s).stream().filter(x -> x.table().equals(table)).findFirst().orElseThrow();
        }
    }

    @Test
    void aChangedValueIsNarrowedToTheKeyRangeHoldingIt() {
        KeyBuckets cut = cut(SELECT);
        TableFingerprint before = ranged(pg15, SELECT, cut);
        change("UPDATE public.\"select\" SET note = note || '!' WHERE id = 12345",
                "UPDATE public.\"select\" SET note = left(note, -1) WHERE id = 12345");
        TableFingerprint after = ranged(pg18, SELECT, cut);
        List<Integer> differ = Bisection.differing(before.buckets().forBisection(), after.buckets().forBisection());
        assertThat(differ).hasSize(1);
        int i = differ.get(0);
        long lower = i == 0 ? Long.MIN_VALUE : Long.parseLong(cut.bounds().get(i - 1));
        long upper = i == cut.bounds().size() ? Long.MAX_VALUE : Long.parseLong(cut.bounds().get(i));
        assertThat(12345L).isBetween(lower, upper - 1);
        assertThat(BaselineNarrowing.describe(SELECT, before.buckets(), after.buckets()))
                .startsWith("db shop: public.select: differs in 1 of " + (cut.bounds().size() + 1) + " key ranges: id ["
                        + (i == 0 ? "start" : lower) + ", ");
    }
}
