package io.pgmigrate.execute;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.LedgerClient;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestPgbouncer;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client writes through a real pgbouncer during the whole upgrade: it sees a pause, never an error, every
 * transaction it saw committed is on the new cluster, and it is resumed on success and on failure.
 */
class PgbouncerIT {
    @TempDir
    Path dir;

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/shop";
    }

    private Path inventory(PgCluster pg, TestPgbouncer bouncer, String name) throws Exception {
        Path inv = TestInventory.write(dir, name, pg, TestInventory.sshHost(TestSshd.shared()), "link",
                PgCluster.freePort());
        Files.writeString(inv, Files.readString(inv) + bouncer.inventoryYaml());
        CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
        assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
        return inv;
    }

    @Test
    void clientsArePausedNotFailedAndEveryCommittedRowIsOnTheNewCluster() throws Exception {
        try (PgCluster pg = PgCluster.start(15); TestPgbouncer bouncer = TestPgbouncer.inFrontOf(pg)) {
            pg.createDatabase("shop");
            pg.sql("shop", LedgerClient.TABLE_DDL);
            Path inv = inventory(pg, bouncer, "bounced");
            // one connection at 50 transactions per second through pgbouncer
            LedgerClient client = LedgerClient.start(url(bouncer.port()), "postgres", 1, 50);
            Thread.sleep(500);
            CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("bounced.plan.json").toString());
            Thread.sleep(500);
            client.stop(30, TimeUnit.SECONDS);
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            // the data is compared once clients write again, in the snapshot held from before they resumed
            assertThat(run.out()).containsSubsequence("run    post.verify-snapshot", "run    post.resume-clients",
                    "run    post.verify:", "PASSED row counts");
            assertThat(client.errors()).as("errors clients saw").isEmpty();
            List<Long> ids = client.committedIds();
            assertThat(ids.size()).as("writes before and after the upgrade").isGreaterThan(20);
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);
            assertThat(LedgerClient.missingOn(url(pg.port()), "postgres", ids))
                    .as("committed rows missing on the upgraded cluster").isEmpty();
            pg.stopUpgraded();
        }
    }

    @Test
    void aFailureResumesTheClientsToo() throws Exception {
        try (PgCluster pg = PgCluster.start(15); TestPgbouncer bouncer = TestPgbouncer.inFrontOf(pg)) {
            pg.createDatabase("shop");
            pg.sql("shop", LedgerClient.TABLE_DDL);
            Path inv = inventory(pg, bouncer, "bounced-fail");
            pg.sql("shop", "CREATE VIEW bgw AS SELECT checkpoints_timed FROM pg_catalog.pg_stat_bgwriter");
            // one connection at 50 transactions per second through pgbouncer
            LedgerClient client = LedgerClient.start(url(bouncer.port()), "postgres", 1, 50);
            CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("bounced-fail.plan.json").toString());
            Thread.sleep(1000);
            int afterRollback = client.committedCount();
            Thread.sleep(1000);
            client.stop(30, TimeUnit.SECONDS);
            assertThat(run.exitCode()).as(run.out()).isEqualTo(4);
            assertThat(run.out()).contains("pgbouncer: RESUME", "Rolled back");
            assertThat(client.committedCount()).as("the client writes again after the rollback").isGreaterThan(afterRollback);
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(15);
        }
    }
}
