package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.inspect.RealClusters;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logical pre-flight on a real PostgreSQL 15 "blue" (wal_level replica, as initdb leaves it) holding what
 * logical replication cannot carry as is: a table without primary key, one with only a unique index, an
 * unlogged table, a materialized view, a sequence, a large object, a prepared transaction and a role with a
 * password. The findings name each; the plan command reports them in a plan that is not ready (blockers); and
 * afterwards blue has no publication, slot, subscription or replication origin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogicalPreflightIT {
    private static final String PASSWORD = "s3cret-Pgm";
    private PgCluster blue;

    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        blue = PgCluster.start(15);
        blue.createDatabase("shop");
        blue.sql("postgres", "CREATE ROLE app LOGIN PASSWORD '" + PASSWORD + "'");
        blue.sql("shop",
                "CREATE TABLE orders (id int PRIMARY KEY, note text)",
                "CREATE TABLE \"Audit Log\" (at timestamptz, msg text)",
                "CREATE TABLE events (code text NOT NULL, payload text)",
                "CREATE UNIQUE INDEX events_code_key ON events (code)",
                "CREATE TABLE batches (id int PRIMARY KEY DEFERRABLE)",
                "CREATE UNLOGGED TABLE sessions (id int PRIMARY KEY)",
                "CREATE MATERIALIZED VIEW order_totals AS SELECT count(*) AS n FROM orders",
                "CREATE SEQUENCE invoice_numbers",
                "SELECT lo_from_bytea(0, 'scanned invoice')",
                "BEGIN", "INSERT INTO orders VALUES (1, 'pending')", "PREPARE TRANSACTION 'pgm-logical-1'");
    }

    @AfterAll
    void stop() {
        if (blue != null) {
            blue.sql("shop", "ROLLBACK PREPARED 'pgm-logical-1'");
            blue.close();
        }
    }

    private List<Finding> findings() {
        RealClusters rc = new RealClusters(blue);
        rc.strategy = Strategy.LOGICAL;
        return rc.findings();
    }

    private static Finding one(List<Finding> all, String check) {
        List<Finding> some = RealClusters.of(all, check);
        assertThat(some).as(check + " in " + all).hasSize(1);
        return some.get(0);
    }

    @Test
    void everyObjectReplicationCannotCarryIsNamed() {
        List<Finding> all = findings();

        Finding identity = one(all, ReplicaIdentity.ID);
        assertThat(identity.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(identity.objects()).containsExactly(
                "db shop: public.\"Audit Log\" (no primary key; no unique index over NOT NULL columns)",
                "db shop: public.batches (its primary key is DEFERRABLE, which cannot serve; no unique index over NOT"
                        + " NULL columns)",
                "db shop: public.events (no primary key; unique index events_code_key can serve)");
        assertThat(identity.fix()).contains("-- in database shop:",
                "ALTER TABLE \"public\".\"Audit Log\" REPLICA IDENTITY FULL;",
                "ALTER TABLE \"public\".\"events\" REPLICA IDENTITY USING INDEX \"events_code_key\";");

        assertThat(one(all, UnloggedTables.ID).objects()).containsExactly("db shop: public.sessions");
        Finding views = one(all, MaterializedViews.ID);
        assertThat(views.objects()).containsExactly("db shop: public.order_totals");
        assertThat(views.fix()).contains("REFRESH MATERIALIZED VIEW \"public\".\"order_totals\";");
        assertThat(one(all, Sequences.ID).objects()).containsExactly("db shop: 1 sequence(s)");
        assertThat(one(all, LargeObjects.ID).objects()).singleElement().asString()
                .startsWith("db shop: 1 large object(s), ");
        assertThat(one(all, PreparedTransactions.ID).objects()).singleElement().asString()
                .startsWith("prepared transaction 'pgm-logical-1' in db shop (owner postgres, prepared at ");
        assertThat(one(all, WalLevel.ID).objects()).containsExactly("blue: wal_level = replica");
        assertThat(one(all, WalHeadroom.ID).severity()).isEqualTo(Severity.INFO);

        Finding roles = one(all, RolePasswords.ID);
        assertThat(roles.detail()).contains("1 with a password (1 SCRAM-SHA-256, 0 MD5)");
        assertThat(all.toString()).doesNotContain(PASSWORD, "SCRAM-SHA-256$");
        // in-place wording stays out of a logical pre-flight
        assertThat(all).extracting(Finding::check).doesNotContain("prepared-transactions", "unlogged-tables");
    }

    @Test
    void theGeneratedReplicaIdentityFixIsValidSql() {
        blue.createDatabase("fixme");
        try {
            blue.sql("fixme", "CREATE TABLE \"Odd \"\"Name\"\"\" (k int NOT NULL, v text)",
                    "CREATE UNIQUE INDEX \"Odd Key\" ON \"Odd \"\"Name\"\"\" (k)", "CREATE TABLE plain (v text)");
            Finding before = one(findings(), ReplicaIdentity.ID);
            String[] lines = before.fix().split("\n");
            String db = null;
            for (String line : lines) {
                if (line.startsWith("-- in database ")) {
                    db = line.substring("-- in database ".length(), line.length() - 1);
                } else if (line.startsWith("ALTER TABLE") && "fixme".equals(db)) {
                    blue.sql("fixme", line);
                }
            }
            assertThat(RealClusters.of(findings(), ReplicaIdentity.ID)).singleElement()
                    .satisfies(x -> assertThat(x.objects()).noneMatch(o -> o.startsWith("db fixme:")));
            try (SqlSession s = blue.connect("fixme")) {
                assertThat(s.query("SELECT relname, relreplident FROM pg_class WHERE relname IN ('Odd \"Name\"', 'plain')"
                        + " ORDER BY relname").stream().map(r -> r.get("relname") + "=" + r.get("relreplident"))
                        .toList()).containsExactly("Odd \"Name\"=i", "plain=f");
            }
        } finally {
            blue.sql("postgres", "DROP DATABASE fixme WITH (FORCE)");
        }
    }

    @Test
    void planWritesABlockedPlanWithTheFindingsExecuteRefusesItAndNothingIsLeftOnBlue() throws Exception {
        Path inventory = TestInventory.logical(dir, "blue", blue, blue.root().resolve("green"), PgCluster.freePort(), "");
        Path out = dir.resolve("plans");

        CliRun run = CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", out.toString());

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(3);
        assertThat(run.out()).contains("Plan for blue: PostgreSQL 15", "logical (blue/green", "[logical-replica-identity]",
                "public.\"Audit Log\"", "[logical-large-objects]", "pgm-logical-1", "Status:    BLOCKED");
        assertThat(out.resolve("blue.plan.json")).exists();
        String md = Files.readString(out.resolve("blue.plan.md"));
        assertThat(md).contains("**Status: BLOCKED**", "### Blockers",
                "ALTER TABLE \"public\".\"Audit Log\" REPLICA IDENTITY FULL;",
                "REFRESH MATERIALIZED VIEW \"public\".\"order_totals\"", "RESTART OF PRODUCTION",
                "CREATE PUBLICATION \"pgmigrate_shop\" FOR ALL TABLES", "`cutover.large-objects.shop`")
                .doesNotContain(PASSWORD);
        assertThat(Files.readString(out.resolve("blue.plan.json"))).doesNotContain(PASSWORD, "SCRAM-SHA-256$");
        for (String command : List.of("execute --dry-run", "execute")) {
            List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("-i", inventory.toString(), out.resolve("blue.plan.json").toString()));
            CliRun refused = CliRun.of(args.toArray(String[]::new));
            assertThat(refused.exitCode()).as(command + ": " + refused.err() + refused.out()).isEqualTo(3);
            assertThat(refused.err()).contains("blocker");
        }

        for (String db : List.of("postgres", "shop")) {
            try (SqlSession s = blue.connect(db)) {
                assertThat(s.query("SELECT pubname FROM pg_catalog.pg_publication")).as("publications in " + db)
                        .isEmpty();
            }
        }
        try (SqlSession s = blue.connect("postgres")) {
            assertThat(s.query("SELECT slot_name FROM pg_catalog.pg_replication_slots")).isEmpty();
            assertThat(s.query("SELECT subname FROM pg_catalog.pg_subscription")).isEmpty();
            assertThat(s.query("SELECT roname FROM pg_catalog.pg_replication_origin")).isEmpty();
        }
        assertThat(blue.root().resolve("green")).doesNotExist();
    }
}
