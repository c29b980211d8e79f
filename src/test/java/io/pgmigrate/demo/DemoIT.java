package io.pgmigrate.demo;

import io.pgmigrate.app.DemoService;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgmigrate demo} for real: a PostgreSQL 15 cluster with data, planned and upgraded to 18, over
 * whichever transport this machine offers on 127.0.0.1:22; then again over the test sshd, which replaces
 * the first demo; then {@code demo --stop} removes it all.
 */
class DemoIT {
    private static final Map<String, Long> ROWS_AT_SCALE_1 = Map.of(
            "pgbench_accounts", 100_000L, "customers", 4_000L, "orders", 20_000L);

    @Test
    void theDemoUpgradesItsClusterTo18AndStopRemovesIt() throws IOException {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "pgm-demo-");
        OsUser.run(List.of("chmod", "755", base.toString()), false); // the postgres user must reach the demo directory
        Path dir = base.resolve("demo");
        try {
            CliRun run = CliRun.of("demo", "--dir", dir.toString(), "--scale", "1");
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out())
                    .containsPattern("(no sshd for the demo: using the local transport|no usable SSH to 127\\.0\\.0\\.1"
                            + " for the demo: using the local transport|works: the demo runs every command over SSH)")
                    .contains("the plan to review: " + dir.resolve("plans/demo.plan.md"))
                    .containsPattern("\nOutcome:  executed: the new cluster serves on port \\d+")
                    .containsPattern("\nOutage:   measured write outage \\d+\\.\\ds \\(planned [^)]+\\)\n")
                    .containsPattern("\nNow:      PostgreSQL 18\\.\\d+ on port \\d+, rows pgbench_accounts 100000,"
                            + " customers 4000, orders 20000 \\(as before\\)\n")
                    .contains("\nJournal:  " + dir.resolve("plans/demo.journal.jsonl"))
                    .contains("\nReport:   " + dir.resolve("plans/demo.verify.md"))
                    .contains("\nRemove:   pgmigrate demo --stop --dir " + dir + "\n");
            int port = port(run.out());
            assertIsAnUpgradedDemo(port);
            assertThat(CliRun.of("status", dir.resolve("plans/demo.plan.json").toString()).out())
                    .startsWith("demo: executed completely; measured write outage");

            if (OsUser.isRoot()) {
                TestSshd sshd = TestSshd.shared();
                StringWriter out = new StringWriter();
                DemoService.Outcome again = new DemoService(Clock.systemUTC(), System.getenv()).run(
                        new DemoService.Request(dir, "link", 1, TransportOptions.defaults(),
                                new DemoTransport.SshTarget(sshd.port(), sshd.clientKey(), sshd.knownHosts())),
                        new PrintWriter(out));
                String printed = out + String.join("\n", again.lines()) + "\n";
                assertThat(again.exitCode().code()).as(printed).isZero();
                assertThat(printed).contains("== removing the previous demo in " + dir,
                        "== SSH to root@127.0.0.1:" + sshd.port() + " (as postgres) works",
                        "pg_upgrade --link");
                assertThat(Files.readString(dir.resolve("pgmigrate.yaml"))).contains("  host: 127.0.0.1\n",
                        "  become: postgres\n");
                int port2 = port(printed);
                if (port2 != port) {
                    assertThat(answers(port)).as("the first demo's server was stopped").isFalse();
                }
                assertIsAnUpgradedDemo(port2);
                port = port2;
            }

            CliRun stop = CliRun.of("demo", "--stop", "--dir", dir.toString());
            assertThat(stop.exitCode()).as(stop.err()).isZero();
            assertThat(stop.out()).isEqualTo("stopped the server of " + dir.resolve("data18") + "\n"
                    + "removed the demo in " + dir + "\n");
            assertThat(dir).doesNotExist();
            assertThat(answers(port)).isFalse();
        } finally {
            if (Files.exists(dir)) {
                CliRun.of("demo", "--stop", "--dir", dir.toString());
            }
            PgCluster.deleteTree(base);
        }
    }

    private static void assertIsAnUpgradedDemo(int port) {
        try (SqlSession s = JdbcSqlSession.open("127.0.0.1", port, "postgres", "shop", "disable")) {
            assertThat(s.query("SHOW server_version_num").get(0).getLong("server_version_num") / 10000).isEqualTo(18);
            assertThat(DemoCluster.rowCounts(s)).isEqualTo(ROWS_AT_SCALE_1);
            assertThat(s.query("SELECT string_agg(extname, ',' ORDER BY extname) AS e FROM pg_extension").get(0).get("e"))
                    .isEqualTo("citext,pgcrypto,plpgsql");
            assertThat(s.query("SELECT count(*) AS n FROM recent_orders").get(0).getLong("n")).isPositive();
            assertThat(s.query("SELECT count(*) AS n FROM customers WHERE email = 'USER7@EXAMPLE.COM'").get(0)
                    .getLong("n")).as("citext compares case-insensitively").isEqualTo(1);
        }
    }

    /** The port the demo printed in its Connect line. */
    private static int port(String out) {
        Matcher m = Pattern.compile("\nConnect:  \\S+/psql -h 127\\.0\\.0\\.1 -p (\\d+) -U postgres shop\n").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
