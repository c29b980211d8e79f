package io.pgmigrate.execute;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestPgbouncer;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client writes through a real pgbouncer during the whole upgrade: it sees a pause, never an error, every
 * transaction it saw committed is on the new cluster, and it is resumed on success and on failure.
 */
class PgbouncerIT {
    @TempDir
    Path dir;

    /** Inserts one ledger row per transaction through pgbouncer until stopped; records committed ids and errors. */
    static final class LedgerClient implements Runnable {
        final int port;
        final AtomicBoolean stop = new AtomicBoolean();
        final ConcurrentLinkedQueue<Long> committed = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final AtomicLong next = new AtomicLong(1);

        LedgerClient(int port) {
            this.port = port;
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            p.setProperty("preferQueryMode", "simple");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shop", p);
                 Statement st = c.createStatement()) {
                while (!stop.get()) {
                    long id = next.getAndIncrement();
                    try {
                        st.executeUpdate("INSERT INTO ledger VALUES (" + id + ")");
                        committed.add(id);
                    } catch (java.sql.SQLException e) {
                        errors.add(id + ": " + e.getMessage());
                    }
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                errors.add("connection: " + e.getMessage());
            }
        }
    }

    private static long ledgerRows(PgCluster pg, List<Long> ids) {
        try (SqlSession s = JdbcSqlSession.open("127.0.0.1", pg.port(), "postgres", "shop", "disable")) {
            String list = ids.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("0");
            return s.query("SELECT count(*) AS n FROM ledger WHERE id IN (" + list + ")").get(0).getLong("n");
        }
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
            pg.sql("shop", "CREATE TABLE ledger (id bigint PRIMARY KEY)");
            Path inv = inventory(pg, bouncer, "bounced");
            LedgerClient client = new LedgerClient(bouncer.port());
            Thread t = new Thread(client, "ledger-client");
            t.start();
            Thread.sleep(500);
            CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("bounced.plan.json").toString());
            Thread.sleep(500);
            client.stop.set(true);
            t.join(30_000);
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            // the data is compared once clients write again, in the snapshot held from before they resumed
            assertThat(run.out()).containsSubsequence("run    post.verify-snapshot", "run    post.resume-clients",
                    "run    post.verify:", "PASSED row counts");
            assertThat(client.errors).as("errors clients saw").isEmpty();
            List<Long> ids = List.copyOf(client.committed);
            assertThat(ids.size()).as("writes before and after the upgrade").isGreaterThan(20);
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);
            assertThat(ledgerRows(pg, ids)).isEqualTo(ids.size());
            pg.stopUpgraded();
        }
    }

    @Test
    void aFailureResumesTheClientsToo() throws Exception {
        try (PgCluster pg = PgCluster.start(15); TestPgbouncer bouncer = TestPgbouncer.inFrontOf(pg)) {
            pg.createDatabase("shop");
            pg.sql("shop", "CREATE TABLE ledger (id bigint PRIMARY KEY)");
            Path inv = inventory(pg, bouncer, "bounced-fail");
            pg.sql("shop", "CREATE VIEW bgw AS SELECT checkpoints_timed FROM pg_catalog.pg_stat_bgwriter");
            LedgerClient client = new LedgerClient(bouncer.port());
            Thread t = new Thread(client, "ledger-client");
            t.start();
            CliRun run = CliRun.of("execute", "-i", inv.toString(), dir.resolve("bounced-fail.plan.json").toString());
            Thread.sleep(1000);
            int afterRollback = client.committed.size();
            Thread.sleep(1000);
            client.stop.set(true);
            t.join(30_000);
            assertThat(run.exitCode()).as(run.out()).isEqualTo(4);
            assertThat(run.out()).contains("pgbouncer: RESUME", "Rolled back");
            assertThat(client.committed.size()).as("the client writes again after the rollback").isGreaterThan(afterRollback);
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(15);
        }
    }
}
