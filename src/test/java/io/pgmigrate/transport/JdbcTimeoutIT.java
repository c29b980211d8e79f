package io.pgmigrate.transport;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Sessions bounded by a step's limit against a real PostgreSQL 15: the server's cancel, and a frozen server. */
class JdbcTimeoutIT {
    private static final Duration LIMIT = Duration.ofSeconds(2);
    private static PgCluster pg;
    private static ClusterAccess access;

    @BeforeAll
    static void start() {
        pg = PgCluster.start(15);
        access = Transports.clusterAccess(new Inventory.Host(Inventory.Host.LOCAL, null, null),
                new Inventory.PgEndpoint("127.0.0.1", pg.port(), PgCluster.SUPERUSER, "postgres", "disable"), false,
                TransportOptions.defaults());
    }

    @AfterAll
    static void stop() {
        if (access != null) {
            access.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private String where() {
        return "postgres@127.0.0.1:" + pg.port() + "/postgres";
    }

    @Test
    void theLimitIsTheServersStatementTimeoutAndTheOldConnectHasNone() {
        try (SqlSession s = access.connect("postgres", LIMIT)) {
            assertThat(s.query("show statement_timeout").get(0).get("statement_timeout")).isEqualTo("2s");
        }
        try (SqlSession s = access.connect("postgres")) {
            assertThat(s.query("show statement_timeout").get(0).get("statement_timeout")).isEqualTo("0");
        }
    }

    @Test
    void aStatementRunningPastTheLimitIsCancelledByTheServer() {
        try (SqlSession s = access.connect("postgres", LIMIT)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.query("select pg_sleep(30)"))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("query on " + where() + " ran past its limit of 2s and the server cancelled it"
                            + " (statement_timeout): ERROR: canceling statement due to statement timeout"
                            + " (raise the step's timeout if it needs longer)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(LIMIT, Duration.ofMillis(3500));
            // the session is still good
            assertThat(s.query("select 1 as one").get(0).get("one")).isEqualTo("1");
        }
    }

    @Test
    void aFrozenServerIsGivenUpOnFiveSecondsAfterTheLimit() {
        assumeTrue(OsUser.isRoot(), "stopping a backend of another OS user needs root: skipped");
        try (SqlSession s = access.connect("postgres", LIMIT)) {
            String pid = s.query("select pg_backend_pid() as pid").get(0).get("pid");
            OsUser.run(List.of("kill", "-STOP", pid), false);
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> s.execute("select 1"))
                        .isInstanceOf(TransportException.class)
                        .hasMessage("statement on " + where() + " got no answer from the server within 7s, its limit"
                                + " of 2s plus 5s; the connection was closed (is the server or the network frozen?"
                                + " check the host)");
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isBetween(Duration.ofSeconds(7).minusMillis(200), Duration.ofSeconds(7 + 2));
            } finally {
                OsUser.run(List.of("kill", "-CONT", pid), true);
            }
        }
    }
}
