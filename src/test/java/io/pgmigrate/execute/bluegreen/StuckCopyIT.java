package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table whose initial copy green refuses (issue #13): green's orders gets a CHECK constraint no row of blue's meets
 * as soon as pg_restore has made the table, long before its subscription exists. The table synchronisation then fails
 * and is retried for ever; the wait on the initial copy must see it and fail within a bounded time, naming the table
 * and green's error, before the cutover, so that the teardown leaves no publication, slot or subscription behind.
 */
class StuckCopyIT {
    @TempDir
    Path dir;

    @Test
    void aTableGreenRefusesFailsTheInitialCopyNamingItAndGreensErrorAndLeavesNothingBehind() throws Exception {
        try (PgCluster blue = PgCluster.create(15, PgCluster.Init.defaults())) {
            blue.appendConfig(List.of("wal_level = logical"));
            blue.startServer();
            BlueGreenIT.seed(blue);
            int greenPort = PgCluster.freePort();
            Path greenData = blue.root().resolve("green");
            Path inv = TestInventory.logical(dir, "stuck", blue, greenData, greenPort,
                    "cutover:\n  switchCommand: [/bin/true]\n");
            AtomicBoolean refused = new AtomicBoolean();
            Thread saboteur = new Thread(() -> {
                long deadline = System.nanoTime() + 180_000_000_000L;
                while (!refused.get() && System.nanoTime() < deadline) {
                    try (SqlSession g = JdbcSqlSession.open("127.0.0.1", greenPort, PgCluster.SUPERUSER, "shop",
                            "disable")) {
                        if (!g.query("SELECT 1 FROM pg_catalog.pg_class WHERE relname = 'orders'").isEmpty()) {
                            g.execute("ALTER TABLE orders ADD CONSTRAINT refuse_every_row CHECK (id < 0) NOT VALID");
                            refused.set(true);
                        }
                    } catch (RuntimeException notYet) {
                        // green or its shop database not there yet
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "green-saboteur");
            saboteur.setDaemon(true);
            try {
                CliRun plan = CliRun.of("plan", "-i", inv.toString(), "-o", dir.toString());
                assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
                saboteur.start();
                long started = System.nanoTime();
                CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("stuck.plan.json").toString());
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                assertThat(refused.get()).as("green's orders refused every row before its copy").isTrue();
                assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(4);
                assertThat(run.out() + run.err()).contains("replicate.initial-copy.shop",
                        "the initial copy keeps failing on green", "not ready: \"public\".\"orders\"",
                        "violates check constraint \"refuse_every_row\"");
                assertThat(seconds).as("failed within minutes, not after the step's timeout").isLessThan(180);
                assertThat(run.out().split("the initial copy keeps failing", -1)).as("failed once, not retried")
                        .hasSize(2);
                for (String db : List.of("postgres", "shop")) {
                    try (SqlSession b = blue.connect(db)) {
                        assertThat(b.query("SELECT pubname FROM pg_publication")).as("publications in " + db)
                                .isEmpty();
                    }
                }
                try (SqlSession b = blue.connect("postgres")) {
                    assertThat(b.query("SELECT slot_name FROM pg_replication_slots")).as("slots on blue").isEmpty();
                }
                assertThat(greenData).as("green removed by the teardown").doesNotExist();
            } finally {
                saboteur.interrupt();
                PgCluster.stopServerAt(greenData);
            }
        }
    }
}
