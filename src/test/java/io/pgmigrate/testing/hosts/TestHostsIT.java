package io.pgmigrate.testing.hosts;

import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.SshShell;
import io.pgmigrate.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two test hosts are two hosts: each has its own hostname, IP address, SSH host key and filesystem; pgmigrate's own
 * SSH transport reaches each with its real host key checked; they reach each other by name and address; the
 * toolchain's PostgreSQL runs on them, and one host's server logs in to the other's with the password from its
 * postgres user's ~/.pgpass, as green's subscription does; a standby on one streams from a primary on the other; and
 * Patroni and etcd, for the HA tests, are in the image.
 */
class TestHostsIT {
    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("blue", "green");

    @Test
    void aStandbyOnAnotherHostStreamsFromItsPrimaryAndTheHaToolsAreThere() {
        HostCluster primary = HostCluster.start(HOSTS.host("blue"), 15, "/var/lib/postgresql/15/primary", 5440);
        HostCluster standby = HostCluster.standbyOf(primary, HOSTS.host("green"), "/var/lib/postgresql/15/standby",
                5440);
        try {
            primary.sql("postgres", "CREATE TABLE t (v text)", "INSERT INTO t VALUES ('from the primary')");
            String lsn = primary.strings("postgres", "SELECT pg_current_wal_lsn()").get(0);
            awaitTrue(standby, "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn");
            assertThat(standby.strings("postgres", "SELECT v FROM t")).containsExactly("from the primary");
            assertThat(standby.strings("postgres", "SELECT pg_is_in_recovery()")).containsExactly("t");
            awaitTrue(primary, "SELECT count(*) = 1 FROM pg_stat_replication WHERE state = 'streaming'");
            assertThat(primary.strings("postgres", "SELECT client_addr FROM pg_stat_replication"))
                    .as("the standby streams from its own host").containsExactly(HOSTS.host("green").address());
        } finally {
            standby.stopServer();
            primary.stopServer();
        }
        assertThat(HOSTS.host("blue").exec("patroni", "--version")).contains("patroni 3.0.2");
        assertThat(HOSTS.host("green").exec("etcd", "--version")).contains("etcd Version: 3.4");
    }

    @TempDir
    Path dir;

    @Test
    void twoHostsAreTwoHosts() {
        TestHost blue = HOSTS.host("blue");
        TestHost green = HOSTS.host("green");
        assertThat(blue.hostKeyLine()).isNotEqualTo(green.hostKeyLine());
        assertThat(blue.address()).isNotEqualTo(green.address());
        try (SshShell b = new SshShell(blue.inventoryHost(HOSTS.knownHosts()), TransportOptions.defaults());
             SshShell g = new SshShell(green.inventoryHost(HOSTS.knownHosts()), TransportOptions.defaults())) {
            assertThat(run(b, "hostname")).isEqualTo("blue");
            assertThat(run(g, "hostname")).isEqualTo("green");
            run(b, "touch", "/var/lib/postgresql/only-on-blue");
            assertThat(b.run(List.of("test", "-e", "/var/lib/postgresql/only-on-blue"), Duration.ofSeconds(10)).ok())
                    .isTrue();
            assertThat(g.run(List.of("test", "-e", "/var/lib/postgresql/only-on-blue"), Duration.ofSeconds(10)).ok())
                    .as("green has a filesystem of its own").isFalse();
            assertThat(run(b, "getent", "hosts", "green")).as("blue reaches green by name").contains(green.address());
            assertThat(run(g, "/var/cache/pgmigrate/pg18/bin/postgres", "--version")).contains("PostgreSQL) 18");
            assertThat(run(g, "/usr/lib/postgresql/15/bin/postgres", "--version")).contains("PostgreSQL) 15");
        }
    }

    @Test
    void plantedKeyIsRefused() throws Exception {
        Path planted = dir.resolve("known_hosts-planted");
        Files.writeString(planted, HOSTS.host("green").address() + " " + HOSTS.host("blue").hostKeyLine() + "\n");
        try (SshShell wrongKey = new SshShell(HOSTS.host("green").inventoryHost(planted), TransportOptions.defaults())) {
            CommandResult r = null;
            try {
                r = wrongKey.run(List.of("hostname"), Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                assertThat(e.getMessage()).containsIgnoringCase("host key");
            }
            assertThat(r).as("blue's key does not let pgmigrate into green").isNull();
        }
    }

    @Test
    void greensServerLogsInToBluesWithItsOwnPassfile() {
        HostCluster blue = HostCluster.start(HOSTS.host("blue"), 15, "/var/lib/postgresql/15/main", 5432);
        HostCluster green = HostCluster.start(HOSTS.host("green"), 18, "/var/lib/postgresql/18/main", 5432);
        try {
            assertThat(blue.strings("postgres", "SHOW server_version_num").get(0)).startsWith("15");
            assertThat(green.strings("postgres", "SHOW server_version_num").get(0)).startsWith("18");
            green.sql("postgres", "CREATE EXTENSION IF NOT EXISTS dblink");
            // a plain connection from green's server to blue's: scram, password from green's ~postgres/.pgpass
            assertThat(green.strings("postgres", "SELECT v FROM dblink('host=" + blue.host().address()
                    + " port=5432 dbname=postgres user=postgres', 'SELECT inet_server_addr()::text') AS t(v text)"))
                    .containsExactly(blue.host().address() + "/32");
            HOSTS.host("green").exec("rm", "/var/lib/postgresql/.pgpass");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> green.sql("postgres",
                    "SELECT dblink_connect('host=" + blue.host().address() + " port=5432 dbname=postgres user=postgres')")))
                    .as("without the passfile blue refuses green").hasMessageContaining("password");
        } finally {
            blue.stopServer();
            green.stopServer();
        }
    }

    private static void awaitTrue(HostCluster c, String query) {
        for (int i = 0; i < 300; i++) {
            if (c.strings("postgres", query).equals(List.of("t"))) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("not true within 30 s on " + c.host().name() + ": " + query);
    }

    private static String run(SshShell shell, String... argv) {
        CommandResult r = shell.run(List.of(argv), Duration.ofSeconds(30));
        assertThat(r.ok()).as(String.join(" ", argv) + ": " + r.stderr()).isTrue();
        return r.stdout().strip();
    }
}
