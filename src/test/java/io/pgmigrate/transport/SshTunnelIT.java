package io.pgmigrate.transport;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SQL through an SSH local port-forward ({@code tunnel: true}) to a real PostgreSQL 15, and straight to it. */
class SshTunnelIT {
    private static PgCluster pg;
    private TestSshd sshd;

    @BeforeAll
    static void startCluster() {
        TestSshd.shared();
        pg = PgCluster.start(15);
    }

    @AfterAll
    static void stopCluster() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void setUp() {
        sshd = TestSshd.shared();
    }

    private Inventory.PgEndpoint endpoint(int port) {
        return new Inventory.PgEndpoint("127.0.0.1", port, PgCluster.SUPERUSER, "postgres", "disable");
    }

    @Test
    void sqlGoesThroughTheTunnelToTheRealServer() throws IOException {
        try (ClusterAccess access = Transports.clusterAccess(sshd.host("root", null), endpoint(pg.port()), true,
                TransportOptions.defaults())) {
            try (SqlSession s = access.connect(access.maintenanceDatabase())) {
                assertThat(s.query("select 1 as one").get(0).get("one")).isEqualTo("1");
                assertThat(s.query("show port").get(0).getLong("port")).isEqualTo(pg.port());
                assertThat(s.database()).isEqualTo("postgres");
                assertThat(ownerOfClientSocket(s)).as("the server's client is sshd").isEqualTo("sshd");
            }
            int local = ((ClusterRoute) access).tunnelLocalPort();
            assertThat(local).isNotEqualTo(pg.port()).isPositive();
            assertThat(listeners(local)).as("the tunnel's local end listens on 127.0.0.1 only")
                    .isNotEmpty().allMatch(a -> a.equals("0100007F") || a.equals("0000000000000000FFFF00000100007F"));
            for (java.net.InetAddress other : otherAddresses()) {
                assertThatThrownBy(() -> {
                    try (Socket sock = new Socket()) {
                        sock.connect(new InetSocketAddress(other, local), 2000);
                    }
                }).as("reaching the tunnel at " + other).isInstanceOf(IOException.class);
            }
            // several sessions and the shell share the one SSH connection
            try (SqlSession a = access.connect("postgres"); SqlSession b = access.connect("template1")) {
                assertThat(a.query("select current_database() as d").get(0).get("d")).isEqualTo("postgres");
                assertThat(b.query("select current_database() as d").get(0).get("d")).isEqualTo("template1");
            }
            assertThat(access.shell().run(List.of("id", "-un"), Duration.ofSeconds(30)).stdout()).isEqualTo("root\n");
            assertThat(((SshShell) access.shell()).connection().generation()).isEqualTo(1);
        }
    }

    @Test
    void withoutTunnelTheSessionGoesStraightToTheServer() {
        try (ClusterAccess access = Transports.clusterAccess(sshd.host("root", null), endpoint(pg.port()), false,
                TransportOptions.defaults())) {
            try (SqlSession s = access.connect("postgres")) {
                assertThat(s.query("select 1 as one").get(0).get("one")).isEqualTo("1");
                assertThat(s.query("show port").get(0).getLong("port")).isEqualTo(pg.port());
                assertThat(ownerOfClientSocket(s)).as("the server's client is this JVM").isEqualTo("java");
            }
            assertThat(((ClusterRoute) access).tunnelLocalPort()).isEqualTo(-1);
        }
    }

    @Test
    void tunnelEndsWithTheAccessAndListensOnLoopbackOnly() {
        int local;
        try (ClusterAccess access = Transports.clusterAccess(sshd.host("root", null), endpoint(pg.port()), true,
                TransportOptions.defaults())) {
            access.connect("postgres").close();
            local = ((ClusterRoute) access).tunnelLocalPort();
            assertThat(accepts(local)).isTrue();
            String listener = OsUser.run(List.of("ss", "-tlnH", "sport = :" + local), false).output();
            // "127.0.0.1:N" or, on a dual-stack socket, "[::ffff:127.0.0.1]:N"
            assertThat(listener).containsPattern("127\\.0\\.0\\.1]?:" + local + " ")
                    .doesNotContain("0.0.0.0:" + local).doesNotContain("*:" + local);
        }
        long deadline = System.nanoTime() + 3_000_000_000L; // JSch stops its port watcher on its own thread
        while (accepts(local) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(accepts(local)).as("the forwarded port still listens after the access was closed").isFalse();
    }

    @Test
    void tunnelIsMadeAgainAfterTheConnectionWasLost() {
        try (ClusterAccess access = Transports.clusterAccess(sshd.host("root", null), endpoint(pg.port()), true,
                TransportOptions.defaults())) {
            access.connect("postgres").close();
            SshConnection ssh = ((SshShell) access.shell()).connection();
            ssh.session().disconnect();
            try (SqlSession s = access.connect("postgres")) {
                assertThat(s.query("show port").get(0).getLong("port")).isEqualTo(pg.port());
            }
            assertThat(ssh.generation()).isEqualTo(2);
        }
    }

    @Test
    void nothingListeningBehindTheTunnelIsOneLine() {
        int closed = TestSshd.closedPort();
        try (ClusterAccess access = Transports.clusterAccess(sshd.host("root", null), endpoint(closed), true,
                TransportOptions.defaults())) {
            assertThatThrownBy(() -> access.connect("postgres"))
                    .isInstanceOf(TransportException.class)
                    .hasMessageStartingWith("cannot connect to PostgreSQL at postgres@127.0.0.1:" + closed
                            + "/postgres as seen from root@127.0.0.1:" + sshd.port() + " (through the SSH tunnel on 127.0.0.1:")
                    .hasMessageContaining("is PostgreSQL listening there?")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void tunnelOverAnUnreachableSshHostNamesTheSshHost() {
        int closed = TestSshd.closedPort();
        Inventory.Host host = new Inventory.Host("127.0.0.1",
                new Inventory.Ssh("root", closed, sshd.clientKey(), sshd.knownHosts()), null);
        try (ClusterAccess access = Transports.clusterAccess(host, endpoint(pg.port()), true, TransportOptions.defaults())) {
            assertThatThrownBy(() -> access.connect("postgres"))
                    .isInstanceOf(TransportException.class)
                    .hasMessageStartingWith("cannot connect over SSH to root@127.0.0.1:" + closed + ": connection refused");
        }
    }

    @Test
    void localHostConnectsStraightEvenWithTunnel() {
        try (ClusterAccess access = Transports.clusterAccess(new Inventory.Host(Inventory.Host.LOCAL, null, null),
                endpoint(pg.port()), true, TransportOptions.defaults())) {
            assertThat(access.shell()).isInstanceOf(LocalShell.class);
            try (SqlSession s = access.connect("postgres")) {
                assertThat(s.query("show port").get(0).getLong("port")).isEqualTo(pg.port());
            }
        }
    }

    /** Which process owns the client end of this session's TCP connection (sshd through the tunnel, java directly). */
    private static String ownerOfClientSocket(SqlSession s) {
        long clientPort = s.query("select client_port from pg_stat_activity where pid = pg_backend_pid()").get(0)
                .getLong("client_port");
        String out = OsUser.run(List.of("ss", "-tnpH", "state", "established", "( sport = :" + clientPort + " )"), false)
                .output();
        int start = out.indexOf("((\"");
        assertThat(start).as("ss output: %s", out).isNotNegative();
        return out.substring(start + 3, out.indexOf('"', start + 3));
    }

    /**
     * Whether something listens on the port. A connect to a free port in the ephemeral range can succeed by connecting
     * to itself (Linux picks that very port as the source: a TCP simultaneous open), which is not a listener.
     */
    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return s.getLocalPort() != port;
        } catch (IOException e) {
            return false;
        }
    }

    /** The local addresses (hex, as /proc/net/tcp and tcp6 write them) listening on a port. */
    private static List<String> listeners(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        List<String> out = new java.util.ArrayList<>();
        for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(f))) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length > 3 && cols[1].endsWith(hexPort) && cols[3].equals("0A")) {
                    out.add(cols[1].substring(0, cols[1].indexOf(':')));
                }
            }
        }
        return out;
    }

    /** This machine's addresses other than loopback. */
    private static List<java.net.InetAddress> otherAddresses() throws IOException {
        return java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> !i.getName().equals("lo"))
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList();
    }
}
