package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.LedgerClient;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestPgbouncer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers that bypass pgbouncer during a blue/green cutover, as issue #12 tries it: a superuser session calling itself
 * pgmigrate, inserting every 10 ms straight into blue and reconnecting whenever it is thrown out. With a role of its
 * own, the freeze fences it out (its login refused, its session ended) and the cutover completes with every row it
 * committed on green. With pgmigrate's own role, which the fence cannot block, the proofs of the freeze catch its
 * rows: the cutover is abandoned (nothing switched, nothing lost) or, should it slip through them, the execution
 * fails after the switch instead of reporting success. Never a committed row on blue that green lacks while the
 * execution says it succeeded.
 */
class DirectWriterIT {
    @TempDir
    Path dir;

    /** A direct writer: one row every 10 ms into blue's shop.orders, reconnecting after any error. */
    private static final class Writer implements AutoCloseable {
        private final List<Long> committed = Collections.synchronizedList(new ArrayList<>());
        private final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Writer(int port, String user, long firstId) {
            thread = new Thread(() -> {
                long id = firstId;
                while (!stop.get()) {
                    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                            + "/shop?ApplicationName=pgmigrate", user, "")) {
                        c.setAutoCommit(true);
                        while (!stop.get()) {
                            try (Statement st = c.createStatement()) {
                                st.execute("INSERT INTO orders (id, note) VALUES (" + id + ", 'direct')");
                            }
                            committed.add(id++);
                            Thread.sleep(10);
                        }
                    } catch (SQLException e) {
                        refusals.add(String.valueOf(e.getMessage()));
                        id++;
                        sleep();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "direct-writer-" + user);
            thread.setDaemon(true);
            thread.start();
        }

        private static void sleep() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<Long> committed() {
            synchronized (committed) {
                return List.copyOf(committed);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }

    @Test
    void aWriterThatBypassesPgbouncerNeverLeavesARowOnBlueThatGreenLacksWhileTheExecutionSucceeds() throws Exception {
        try (PgCluster blue = PgCluster.start(15); TestPgbouncer bouncer = TestPgbouncer.inFrontOf(blue)) {
            BlueGreenIT.seed(blue);
            blue.appendConfig(List.of("wal_level = logical"));
            blue.stopServer();
            blue.startServer();
            blue.sql("postgres", "CREATE ROLE dba SUPERUSER LOGIN");
            int greenPort = PgCluster.freePort();
            Path greenData = blue.root().resolve("green");
            try {
                Path inv = BlueGreenIT.inventory(dir, blue, bouncer, greenData, greenPort, "direct", "");
                Path planFile = BlueGreenIT.plan(dir, inv, "direct");
                LedgerClient client = LedgerClient.start(BlueGreenIT.url(bouncer.port()), "postgres", 1, 50);
                Writer dba = new Writer(blue.port(), "dba", 3_000_000);
                Writer own = new Writer(blue.port(), "postgres", 2_000_000);
                Thread.sleep(300);
                // both write through the cutover: dba, a superuser role of its own, is fenced out at the freeze;
                // pgmigrate's own role cannot be blocked, and whatever it writes past the frozen point is caught
                CliRun first = CliRun.of("execute", "-i", inv.toString(), planFile.toString());
                own.close();
                assertThat(own.committed()).as("the writer of pgmigrate's role wrote").isNotEmpty();
                int serving;
                if (first.exitCode() == 0) {
                    serving = greenPort; // it slipped through every proof only if green has all it wrote
                } else {
                    assertThat(first.exitCode()).as(first.out()).isIn(4, 5);
                    assertThat(first.out() + first.err()).containsAnyOf("wrote through the freeze",
                            "written on blue directly since the frozen point");
                    // abandoned before the switch: the cutover again without it; after the switch: back to blue
                    CliRun again = first.exitCode() == 4
                            ? CliRun.of("execute", "-i", inv.toString(), planFile.toString())
                            : CliRun.of("rollback", "-i", inv.toString(), planFile.toString());
                    assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
                    serving = first.exitCode() == 4 ? greenPort : blue.port();
                }
                Thread.sleep(300);
                dba.close();
                client.stop(30, TimeUnit.SECONDS);
                assertThat(missing(serving, own.committed())).as("rows of pgmigrate's role missing on the cluster"
                        + " that serves").isEmpty();
                assertThat(missing(serving, dba.committed())).as("rows of the fenced superuser missing on the"
                        + " cluster that serves").isEmpty();
                if (serving == greenPort) {
                    assertThat(dba.refusals).as("dba was thrown out at the freeze and refused since").anyMatch(m ->
                            m.contains("not permitted to log in")).anyMatch(m -> m.contains("terminat"));
                }
                assertThat(client.errors()).isEmpty();
                assertThat(LedgerClient.missingOn(BlueGreenIT.url(serving), "postgres", client.committedIds()))
                        .isEmpty();
            } finally {
                PgCluster.stopServerAt(greenData);
            }
        }
    }

    /** The ids of rows not in the cluster's shop.orders. */
    private static List<Long> missing(int port, List<Long> ids) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shop", "postgres",
                ""); Statement st = c.createStatement()) {
            for (Long id : ids) {
                try (ResultSet r = st.executeQuery("SELECT 1 FROM orders WHERE id = " + id)) {
                    if (!r.next()) {
                        out.add(id);
                    }
                }
            }
        }
        return out;
    }
}
