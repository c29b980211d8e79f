package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.ActionRunner;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.StepFailure;

import io.pgmigrate.inspect.Inspector;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.inventory.TargetEndpoint;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Step;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every step of the planner's logical plan but rollback and cleanup, in order, through {@link ActionRunner} from a
 * real blue (PostgreSQL 15, wal_level = logical, no pgbouncer: the freeze blocks the application's logins; the switch
 * command is /bin/true): green is provisioned, gets blue's roles, schema and rows (those written just before the
 * cutover too), the forward subscription is dropped, reverse replication carries a row written on green to blue, and
 * blue stays fenced. Not the Executor: its failure handling and rollback are those of the in-place strategy.
 */
class LogicalStepsIT {
    @TempDir
    Path dir;

    @Test
    void thePlansStepsProvisionGreenFillItAndSwitchToIt() throws Exception {
        try (PgCluster blue = PgCluster.create(15, PgCluster.Init.defaults())) {
            blue.appendConfig(List.of("wal_level = logical"));
            blue.startServer();
            blue.createDatabase("shop");
            blue.sql("postgres", "CREATE ROLE app LOGIN PASSWORD 'Gr33n-s3cret'");
            blue.sql("shop", "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)",
                    "ALTER TABLE orders OWNER TO app",
                    "INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 1000) g");
            int greenPort = PgCluster.freePort();
            Path greenData = blue.root().resolve("green");
            Path inventory = TestInventory.logical(dir, "bg", blue, greenData, greenPort,
                    "cutover:\n  switchCommand: [/bin/true]\n");
            CliRun made = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.toString());
            assertThat(made.exitCode()).as(made.err() + made.out()).isEqualTo(0);
            Path planFile = dir.resolve("bg.plan.json");
            Plan plan = PlanJson.readVerified(planFile);
            Inventory inv = InventoryLoader.load(inventory);
            StringWriter console = new StringWriter();
            TargetEndpoint g = TargetEndpoint.of(inv);
            try (ClusterAccess source = Transports.clusterAccess(inv.source(), TransportOptions.defaults());
                 ClusterAccess target = Transports.clusterAccess(g.host(), g.pg(), g.tunnel(), TransportOptions.defaults())) {
                var facts = new Inspector().inspect(inv, source, source.shell()).source();
                ExecutionContext ctx = new ExecutionContext(plan, inv, facts, source, target,
                        ExecutionFiles.beside(planFile, plan.name()), new PrintWriter(console, true), "test",
                        java.time.Clock.systemUTC());
                try (ActionRunner runner = LogicalActionsIT.runner(ctx)) {
                    for (Phase phase : plan.phases()) {
                        if (phase.kind().onRequestOnly()) {
                            continue;
                        }
                        if (phase.id().equals("cutover")) {
                            Step subscription = plan.step("replicate.subscription.shop").orElseThrow();
                            assertThat(runner.run(subscription).note()).isEqualTo("subscription \"pgmigrate_shop\" already there");
                            blue.sql("shop", "INSERT INTO orders (note) SELECT 'late' FROM generate_series(1, 500)");
                        }
                        for (Step step : phase.steps()) {
                            try {
                                runner.run(step);
                            } catch (StepFailure e) {
                                throw new AssertionError(e.getMessage() + "\n" + console, e);
                            }
                        }
                    }
                }
                try (SqlSession s = target.connect("shop")) {
                    assertThat(s.query("SHOW server_version_num").get(0).getLong("server_version_num") / 10000)
                            .isEqualTo(18);
                    assertThat(s.query("SELECT count(*) AS n FROM orders").get(0).getLong("n")).isEqualTo(1500);
                    assertThat(s.query("SELECT count(*) AS n FROM pg_subscription").get(0).getLong("n"))
                            .as("forward subscriptions dropped by post").isZero();
                    s.execute("INSERT INTO orders (note) VALUES ('written on green')");
                    assertThat(s.query("SELECT pg_get_userbyid(relowner) AS o FROM pg_class WHERE relname = 'orders'")
                            .get(0).get("o")).isEqualTo("app");
                    assertThat(s.query("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' AS p FROM pg_authid"
                            + " WHERE rolname = 'app'").get(0).getBool("p")).isTrue();
                }
                assertThat(console.toString()).doesNotContain("Gr33n-s3cret", "SCRAM-SHA-256$");
                try (SqlSession s = blue.connect("shop")) {
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    long n;
                    do {
                        n = s.query("SELECT count(*) AS n FROM orders WHERE note = 'written on green'").get(0).getLong("n");
                    } while (n == 0 && System.nanoTime() < deadline);
                    assertThat(n).as("reverse replication keeps blue current").isOne();
                    assertThat(s.query("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'app'").get(0).getBool("rolcanlogin"))
                            .as("blue fenced").isFalse();
                }
            } finally {
                if (java.nio.file.Files.exists(greenData.resolve("postmaster.pid"))) {
                    io.pgmigrate.testing.OsUser.runAsOwner(List.of(Toolchain.binDir(18).resolve("pg_ctl").toString(),
                            "-D", greenData.toString(), "-m", "immediate", "-w", "stop"), true);
                }
            }
        }
    }
}
