package io.pgmigrate.transport;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A frozen SSH connection (the sshd processes serving it stopped with SIGSTOP, as a network partition or a hung
 * host leaves it: TCP open, nothing answers) is given up on and replaced by a new one, for commands and for the
 * tunnel; an unreachable sshd trips the circuit breaker. Against the real test sshd, whose listener is never stopped.
 */
class SshReconnectIT {
    private static final Duration T = Duration.ofSeconds(30);
    /** The chain of processes from the remote shell up: the sshd processes serving this connection are in it. */
    private static final String PARENTS = "p=$$; while [ \"$p\" -gt 1 ]; do echo \"$p\";"
            + " p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$p/status); done";

    private static PgCluster pg;
    private TestSshd sshd;

    @BeforeEach
    void setUp() {
        sshd = TestSshd.shared();
    }

    @AfterAll
    static void stopCluster() {
        if (pg != null) {
            pg.close();
        }
    }

    private SshShell shell() {
        return new SshShell(sshd.host("root", null), TransportOptions.defaults());
    }

    @Test
    void aCommandOnAFrozenConnectionFailsWithinItsTimeoutAndTheNextOneConnectsAnew() {
        try (SshShell sh = shell()) {
            List<Long> serving = servingProcesses(sh);
            try {
                // the command itself freezes the sshd that serves it: nothing from the host reaches us any more
                List<String> freeze = new ArrayList<>(List.of("sh", "-c", "kill -STOP \"$@\"; sleep 30", "freeze"));
                serving.forEach(pid -> freeze.add(Long.toString(pid)));
                long start = System.nanoTime();
                assertThatThrownBy(() -> sh.run(freeze, Duration.ofSeconds(2)))
                        .isInstanceOf(TransportException.class)
                        .hasMessage("'sh' on root@127.0.0.1:" + sshd.port() + " did not finish within 2s; the host gave no"
                                + " answer over SSH either, so it may still run there; pgmigrate connects anew for the"
                                + " next command (check the host and the network)");
                assertThat(since(start)).isLessThan(Duration.ofSeconds(2 + 5 + 3));
                assertThat(stopped(serving)).as("the old connection's sshd is still frozen").isTrue();

                start = System.nanoTime();
                assertThat(sh.run(List.of("echo", "again"), T).stdout()).isEqualTo("again\n");
                assertThat(since(start)).isLessThan(Duration.ofSeconds(3));
                assertThat(sh.connection().generation()).isEqualTo(2);
                assertThat(servingProcesses(sh)).doesNotContainAnyElementsOf(serving);
            } finally {
                resume(serving);
            }
        }
    }

    @Test
    void aConnectionFrozenWhileIdleIsReplacedWhenTheNextChannelDoesNotOpen() {
        try (SshShell sh = shell()) {
            List<Long> serving = servingProcesses(sh);
            signal("STOP", serving);
            try {
                long start = System.nanoTime();
                // nothing ran on the frozen connection (its channel never opened): run once on a new one
                assertThat(sh.run(List.of("echo", "fresh"), T).stdout()).isEqualTo("fresh\n");
                assertThat(since(start)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5 + 3));
                assertThat(sh.connection().generation()).isEqualTo(2);
            } finally {
                resume(serving);
            }
        }
    }

    @Test
    void aNewSqlSessionThroughTheTunnelGoesOverANewConnectionAfterAFreeze() {
        if (pg == null) {
            pg = PgCluster.start(15);
        }
        Inventory.PgEndpoint endpoint = new Inventory.PgEndpoint("127.0.0.1", pg.port(), PgCluster.SUPERUSER, "postgres",
                "disable");
        try (ClusterAccess access = Transports.clusterAccess(sshd.host("root", null), endpoint, true,
                TransportOptions.defaults())) {
            SshShell sh = (SshShell) access.shell();
            try (SqlSession s = access.connect("postgres", T)) {
                assertThat(s.query("select 1 as one").get(0).get("one")).isEqualTo("1");
            }
            List<Long> serving = servingProcesses(sh);
            signal("STOP", serving);
            try {
                long start = System.nanoTime();
                try (SqlSession s = access.connect("postgres", T)) {
                    assertThat(s.query("show port").get(0).getLong("port")).isEqualTo(pg.port());
                }
                assertThat(since(start)).isLessThan(Duration.ofSeconds(5 + 4));
                // the forward was made again on the new connection, and the host answers on it: no third one
                assertThat(sh.connection().generation()).isEqualTo(2);
                assertThat(((ClusterRoute) access).tunnelLocalPort()).isPositive();
                assertThat(sh.connection().generation()).isEqualTo(2);
            } finally {
                resume(serving);
            }
        }
    }

    @Test
    void anUnreachableSshdTripsTheBreakerAndTheFourthCallFailsAtOnce() {
        int closed = TestSshd.closedPort();
        Inventory.Host host = new Inventory.Host("127.0.0.1",
                new Inventory.Ssh("root", closed, sshd.clientKey(), sshd.knownHosts()), null);
        try (SshShell sh = new SshShell(host, TransportOptions.defaults())) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> sh.run(List.of("true"), T))
                        .hasMessageStartingWith("cannot connect over SSH to root@127.0.0.1:" + closed + ": connection refused");
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> sh.run(List.of("true"), T))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("SSH to root@127.0.0.1:" + closed + " is down: 3 connection attempts failed in a row, the"
                            + " last: connection refused (is sshd running there and listening on port " + closed
                            + "? check the host address and ssh.port in the inventory); pgmigrate tries again in 30 s");
            assertThat(since(start)).isLessThan(Duration.ofMillis(200));
        }
    }

    /** The sshd processes (below the listener) that serve this shell's connection. */
    private List<Long> servingProcesses(SshShell sh) {
        long listener = listenerPid();
        List<Long> chain = sh.run(List.of("sh", "-c", PARENTS), T).stdout().lines().map(Long::parseLong).toList();
        assertThat(chain).as("the remote shell descends from the test sshd").contains(listener);
        List<Long> serving = new ArrayList<>();
        for (long pid : chain.subList(0, chain.indexOf(listener))) {
            if (ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> c.endsWith("/sshd")).orElse(false)) {
                serving.add(pid);
            }
        }
        assertThat(serving).as("sshd processes in %s", chain).isNotEmpty();
        return serving;
    }

    private long listenerPid() {
        try {
            return Long.parseLong(Files.readString(sshd.knownHosts().resolveSibling("sshd.pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean stopped(List<Long> pids) {
        for (long pid : pids) {
            String stat = OsUser.run(List.of("ps", "-o", "stat=", "-p", Long.toString(pid)), true).output().strip();
            if (!stat.startsWith("T")) {
                return false;
            }
        }
        return true;
    }

    private static void signal(String name, List<Long> pids) {
        List<String> argv = new ArrayList<>(List.of("kill", "-" + name));
        pids.forEach(p -> argv.add(Long.toString(p)));
        OsUser.run(argv, true);
    }

    /** SIGCONT: they find their client gone and end. */
    private static void resume(List<Long> pids) {
        signal("CONT", pids);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
