package io.pgmigrate.security;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input, on real PostgreSQL 15 → 18: a database whose name carries a statement and whose sessions default to
 * {@code standard_conforming_strings = off} (ALTER DATABASE … SET), the superuser pgmigrate connects as set so too
 * (ALTER ROLE … SET, which pg_dumpall carries to green), a table whose name carries a statement, a large object whose
 * comment carries a backslash-quote payload (the string that ends a literal early when backslashes escape and only
 * quotes are doubled), and a carried-over setting holding a quote and backslashes. {@code plan} (with the schema
 * rehearsal) and {@code execute} in place; {@code plan}, {@code execute}, {@code rollback} and {@code cleanup} of
 * blue/green, whose steps build SQL from these names (publications, subscriptions forward and reverse, the large-object
 * copy both ways, sequences). No injected
 * statement ran on either cluster (no new role, no changed attribute of any role), and every step did its job.
 */
class InjectionIT {
    /** Every payload creates a role of its own name when it gets out. */
    static final String DATABASE = "shop'); CREATE ROLE pwned_db SUPERUSER; --\\' $q$ `id`";
    static final String TABLE = "orders\\'; CREATE ROLE pwned_table SUPERUSER; --";
    static final String COMMENT = "\\'; CREATE ROLE pwned_lo SUPERUSER; --";
    static final String PREFIX = "%m [%p] it's \\'; CREATE ROLE pwned_conf SUPERUSER; -- \\\\ ";

    @TempDir
    Path dir;

    @Test
    void inPlaceNothingGetsOutAndEveryStepDoesItsJob() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            seed(pg);
            List<String> roles = roles(pg.port());
            Path inv = TestInventory.write(dir, "inj", pg, TestInventory.localHost(), "link", PgCluster.freePort());
            CliRun plan = CliRun.of("plan", "-i", inv.toString(), "-o", dir.toString());
            assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
            assertThat(roles(pg.port())).as("after plan and its rehearsal").isEqualTo(roles);
            assertThat(Files.readString(dir.resolve("inj.plan.md"))).as("the name as code in the reviewed plan")
                    .contains("\n| `` " + DATABASE + " `` | UTF8 |");

            CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("inj.plan.json").toString());
            try {
                assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
                assertThat(major(pg.port())).isEqualTo(18);
                assertThat(roles(pg.port())).as("roles of the upgraded cluster").isEqualTo(roles);
                assertSeeded(pg.port());
            } finally {
                pg.stopUpgraded();
            }
        }
    }

    @Test
    void blueGreenNothingGetsOutAndEveryStepDoesItsJob() throws Exception {
        try (PgCluster blue = PgCluster.create(15, PgCluster.Init.defaults())) {
            blue.appendConfig(List.of("wal_level = logical"));
            blue.startServer();
            seed(blue);
            List<String> roles = roles(blue.port());
            int greenPort = PgCluster.freePort();
            Path greenData = blue.root().resolve("green");
            Path inv = TestInventory.logical(dir, "inj-bg", blue, greenData, greenPort,
                    "cutover:\n  switchCommand: [/bin/true]\n");
            try {
                CliRun plan = CliRun.of("plan", "-i", inv.toString(), "-o", dir.toString());
                assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
                assertThat(roles(blue.port())).as("after plan").isEqualTo(roles);

                CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("inj-bg.plan.json").toString());
                assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
                List<String> finished = Journal.read(dir.resolve("inj-bg.journal.jsonl")).stream()
                        .filter(e -> e instanceof JournalEvent.StepFinished).map(JournalEvent::step).toList();
                for (String kind : List.of("replicate.publication.", "replicate.subscription.",
                        "replicate.initial-copy.", "cutover.sequences.", "cutover.reverse-publication.",
                        "cutover.reverse-subscription.")) {
                    assertThat(finished.stream().filter(s -> s.startsWith(kind))).as(kind).hasSize(2);
                }
                assertThat(finished).anyMatch(s -> s.contains("large-object"));

                assertThat(roles(blue.port())).as("roles on blue").isEqualTo(roles);
                assertThat(roles(greenPort)).as("roles on green").isEqualTo(roles);
                assertSeeded(greenPort);
                assertThat(count(blue.port(), DATABASE, "SELECT count(*) FROM pg_catalog.pg_subscription s"
                        + " JOIN pg_catalog.pg_database d ON d.oid = s.subdbid WHERE d.datname = current_database()"
                        + " AND s.subenabled"))
                        .as("reverse replication into blue's hostile database").isOne();
                // reverse replication works: a row written on green reaches blue
                try (SqlSession s = io.pgmigrate.transport.JdbcSqlSession.open("127.0.0.1", greenPort, "postgres",
                        DATABASE, "disable")) {
                    s.execute("INSERT INTO " + SqlIdentifiers.quote(TABLE) + " (note) VALUES ('on green')");
                }
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (count(blue.port(), DATABASE, "SELECT count(*) FROM " + SqlIdentifiers.quote(TABLE)
                        + " WHERE note = 'on green'") == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(count(blue.port(), DATABASE, "SELECT count(*) FROM " + SqlIdentifiers.quote(TABLE)
                        + " WHERE note = 'on green'")).isOne();

                // the way back: the reverse cutover (its subscriptions, the large objects copied back), then cleanup
                CliRun back = CliRun.of("rollback", "-i", inv.toString(), dir.resolve("inj-bg.plan.json").toString());
                assertThat(back.exitCode()).as(back.err() + back.out()).isZero();
                assertThat(back.out()).contains("run    rollback.switch-clients");
                assertThat(roles(blue.port())).as("roles on blue after rollback").isEqualTo(roles);
                assertThat(roles(greenPort)).as("roles on green after rollback").isEqualTo(roles);
                assertSeeded(blue.port(), 101);
                CliRun clean = CliRun.of("cleanup", "-i", inv.toString(), dir.resolve("inj-bg.plan.json").toString());
                assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
                assertThat(roles(blue.port())).as("roles on blue after cleanup").isEqualTo(roles);
                assertSeeded(blue.port(), 101);
                assertThat(count(blue.port(), DATABASE, "SELECT count(*) FROM pg_catalog.pg_subscription"))
                        .as("cleanup dropped the replication").isZero();
            } finally {
                if (Files.exists(greenData.resolve("postmaster.pid"))) {
                    OsUser.runAsOwner(List.of(Toolchain.binDir(18).resolve("pg_ctl").toString(), "-D",
                            greenData.toString(), "-m", "immediate", "-w", "stop"), true);
                }
            }
        }
    }

    /** The hostile database, role setting, table, large object and configuration. */
    static void seed(PgCluster pg) {
        pg.createDatabase(DATABASE);
        String db = SqlIdentifiers.quote(DATABASE);
        pg.sql("postgres",
                "ALTER DATABASE " + db + " SET standard_conforming_strings = off",
                "ALTER DATABASE " + db + " SET escape_string_warning = off",
                "ALTER ROLE postgres SET standard_conforming_strings = off",
                "ALTER SYSTEM SET log_line_prefix = " + SqlIdentifiers.literal(PREFIX),
                "SELECT pg_catalog.pg_reload_conf()");
        pg.sql(DATABASE,
                "CREATE TABLE " + SqlIdentifiers.quote(TABLE) + " (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO " + SqlIdentifiers.quote(TABLE) + " (note) SELECT 'n' || g FROM generate_series(1, 100) g",
                "SELECT pg_catalog.lo_from_bytea(424242, 'large object data')",
                "COMMENT ON LARGE OBJECT 424242 IS " + SqlIdentifiers.literal(COMMENT));
    }

    /** What the hostile objects must be on the cluster that serves at the end. */
    static void assertSeeded(int port) throws Exception {
        assertSeeded(port, 100);
    }

    /** As above, with the table holding {@code rows} rows. */
    static void assertSeeded(int port, long rows) throws Exception {
        try (SqlSession s = io.pgmigrate.transport.JdbcSqlSession.open("127.0.0.1", port, "postgres", DATABASE,
                "disable")) {
            assertThat(s.query("SELECT count(*) AS n FROM " + SqlIdentifiers.quote(TABLE)).get(0).getLong("n"))
                    .isEqualTo(rows);
            assertThat(s.query("SELECT pg_catalog.obj_description(424242, 'pg_largeobject') AS d").get(0).get("d"))
                    .isEqualTo(COMMENT);
            assertThat(s.query("SELECT pg_catalog.convert_from(pg_catalog.lo_get(424242), 'UTF8') AS d").get(0)
                    .get("d")).isEqualTo("large object data");
            assertThat(s.query("SELECT pg_catalog.array_to_string(setconfig, ',') AS c FROM pg_catalog.pg_db_role_setting"
                    + " WHERE setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
                    + " AND setrole = 0").get(0).get("c")).contains("standard_conforming_strings=off");
            assertThat(s.query("SHOW log_line_prefix").get(0).get("log_line_prefix")).as("carried over exactly")
                    .isEqualTo(PREFIX);
        }
    }

    /** Every role with the attributes an injection would give it (pgmigrate's own logins fence is not one). */
    static List<String> roles(int port) {
        try (SqlSession s = io.pgmigrate.transport.JdbcSqlSession.open("127.0.0.1", port, "postgres", "postgres",
                "disable")) {
            return s.query("SELECT rolname || ' super=' || rolsuper || ' createrole=' || rolcreaterole || ' createdb='"
                            + " || rolcreatedb || ' replication=' || rolreplication || ' bypassrls=' || rolbypassrls"
                            + " AS r FROM pg_catalog.pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname").stream()
                    .map(r -> r.get("r")).toList();
        }
    }

    static int major(int port) {
        return (int) count(port, "postgres", "SELECT current_setting('server_version_num')::int / 10000");
    }

    static long count(int port, String db, String sql) {
        try (SqlSession s = io.pgmigrate.transport.JdbcSqlSession.open("127.0.0.1", port, "postgres", db, "disable")) {
            return s.query("SELECT (" + sql + ") AS n").get(0).getLong("n");
        }
    }
}
