package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Step;
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
 * {@code pgmigrate plan} for a blue/green migration of a real PostgreSQL 15 "blue" whose tables all have a primary
 * key (one database with an awkward name), schema rehearsal included: the plan is written and ready, its
 * publications and subscriptions are quoted, and blue is left exactly as it was (no publication, slot,
 * subscription, origin; wal_level unchanged; green not created), also after {@code execute --dry-run}, which runs
 * the pre-flight and a schema-only restore into a scratch cluster of the target version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogicalPlanIT {
    private static final String AWKWARD = "my \"db\"";
    private static final String PASSWORD = "Gr33n-s3cret";
    private PgCluster blue;

    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        blue = PgCluster.start(15);
        blue.createDatabase("shop");
        blue.createDatabase(AWKWARD);
        blue.sql("postgres", "CREATE ROLE app LOGIN PASSWORD '" + PASSWORD + "'");
        blue.sql("shop", "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 100) g");
        blue.sql(AWKWARD, "CREATE TABLE \"Line Items\" (id int PRIMARY KEY, qty int)");
    }

    @AfterAll
    void stop() {
        if (blue != null) {
            blue.close();
        }
    }

    @Test
    void planWritesAReadyBlueGreenPlanAndExecuteRefusesIt() throws Exception {
        Path green = blue.root().resolve("green");
        Path inventory = TestInventory.logical(dir, "blue", blue, green, PgCluster.freePort(),
                "cutover:\n  switchCommand: [/usr/local/bin/point-clients]\n");
        Path out = dir.resolve("plans");

        CliRun run = CliRun.of("plan", "-i", inventory.toString(), "-o", out.toString());

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(0);
        assertThat(run.out()).contains("Plan for blue: PostgreSQL 15", "logical (blue/green, initial copy by copy_data)",
                "Status:    READY");
        Path json = out.resolve("blue.plan.json");
        Plan plan = PlanJson.readVerified(json);
        assertThat(plan.ready()).isTrue();
        assertThat(plan.step("blue-restart.restart")).as("blue runs with wal_level replica").isPresent();
        String md = Files.readString(out.resolve("blue.plan.md"));
        assertThat(md).contains("CREATE PUBLICATION \"pgmigrate_shop\" FOR ALL TABLES", "REVERSE CUTOVER FROM HERE",
                "Schema rehearsal passed", "dbname=''my \"db\"''");
        assertThat(Files.readString(json) + md).doesNotContain(PASSWORD, "SCRAM-SHA-256$", "password=");

        // the dry run runs the pre-flight and a schema-only restore into a scratch PostgreSQL 18 cluster, and
        // creates nothing on blue (checked below)
        CliRun dry = CliRun.of("execute", "--dry-run", "-i", inventory.toString(), json.toString());
        assertThat(dry.exitCode()).as(dry.err() + dry.out()).isEqualTo(0);
        assertThat(dry.out()).contains("dry run passed", "cutover.reverse-subscription.shop");

        for (String db : List.of("postgres", "shop", AWKWARD)) {
            try (SqlSession s = blue.connect(db)) {
                assertThat(s.query("SELECT pubname FROM pg_catalog.pg_publication")).as("publications in " + db)
                        .isEmpty();
            }
        }
        try (SqlSession s = blue.connect("postgres")) {
            assertThat(s.query("SELECT slot_name FROM pg_catalog.pg_replication_slots")).isEmpty();
            assertThat(s.query("SELECT subname FROM pg_catalog.pg_subscription")).isEmpty();
            assertThat(s.query("SELECT roname FROM pg_catalog.pg_replication_origin")).isEmpty();
            assertThat(s.query("SHOW wal_level").get(0).get("wal_level")).isEqualTo("replica");
        }
        assertThat(green).doesNotExist();

        replicationStatementsRunOnScratchClusters(plan);
    }

    /**
     * The plan's publication, subscription and cleanup statements, run as written on scratch clusters of the
     * versions they are for (green 18, blue 15), the subscriptions with connect = false instead of their copy_data
     * (no slot, nothing reached): their quoting of an awkward database name holds, and the connection string the
     * server stores is the intended one.
     */
    private void replicationStatementsRunOnScratchClusters(Plan plan) {
        try (PgCluster green18 = PgCluster.start(18); PgCluster blue15 = PgCluster.start(15)) {
            for (PgCluster c : List.of(green18, blue15)) {
                c.createDatabase("shop");
                c.createDatabase(AWKWARD);
            }
            List<Step> steps = plan.phases().stream().filter(p -> p.kind() != io.pgmigrate.plan.PhaseKind.SOURCE_RESTART)
                    .flatMap(p -> p.steps().stream()).toList();
            int subscriptions = 0;
            for (Step step : steps) {
                Action a = step.action();
                Action.RunSql q = a instanceof Action.RunSql r ? r
                        : a instanceof Action.CreatePublication c ? new Action.RunSql(c.endpoint(), c.database(), c.sql())
                        : a instanceof Action.DropPublication c ? new Action.RunSql(c.endpoint(), c.database(), c.sql())
                        : a instanceof Action.CreateSubscription c ? new Action.RunSql(c.endpoint(), c.database(), c.sql())
                        : a instanceof Action.AlterSubscription c ? new Action.RunSql(c.endpoint(), c.database(), c.sql())
                        : a instanceof Action.DropSlots c ? new Action.RunSql(c.endpoint(), c.database(), c.sql())
                        : null; // DROP SUBSCRIPTION would reach the other side to drop the slot: not for scratch clusters
                if (q == null) {
                    continue;
                }
                PgCluster on = q.endpoint() == Action.Endpoint.TARGET ? green18 : blue15;
                String sql = q.sql().replace("copy_data = true", "connect = false")
                        .replace("copy_data = false", "connect = false");
                on.sql(q.database(), sql);
                if (sql.startsWith("CREATE SUBSCRIPTION")) {
                    subscriptions++;
                }
            }
            assertThat(subscriptions).as("forward and reverse, per database").isEqualTo(6);
            try (SqlSession s = green18.connect(AWKWARD)) {
                assertThat(s.query("SELECT subconninfo, subslotname FROM pg_catalog.pg_subscription"
                        + " WHERE subname LIKE 'pgmigrate_my%'").stream()
                        .map(r -> r.get("subconninfo") + " / " + r.get("subslotname")).toList())
                        .singleElement().asString().contains("dbname='my \"db\"'")
                        .matches(".* / pgmigrate_my__db__[0-9a-f]{8}");
            }
        }
    }
}
