package io.pgmigrate.testing.hosts;

import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.SshShell;
import io.pgmigrate.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Network;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two test hosts are two hosts: each has its own hostname, IP address, SSH host key and filesystem; pgmigrate's own
 * SSH transport reaches each with its real host key checked; they reach each other by name on their network; and
 * the toolchain's PostgreSQL runs on them.
 */
class TestHostsIT {
    @TempDir
    Path dir;

    @Test
    void twoHostsAreTwoHosts() throws Exception {
        try (Network network = Network.newNetwork();
             TestHost blue = TestHost.start("blue", network);
             TestHost green = TestHost.start("green", network)) {
            assertThat(blue.hostKeyLine()).isNotEqualTo(green.hostKeyLine());
            try (SshShell b = new SshShell(blue.inventoryHost(blue.knownHosts(dir)), TransportOptions.defaults());
                 SshShell g = new SshShell(green.inventoryHost(green.knownHosts(dir)), TransportOptions.defaults())) {
                assertThat(run(b, "hostname")).isEqualTo("blue");
                assertThat(run(g, "hostname")).isEqualTo("green");
                run(b, "touch", "/var/lib/postgresql/only-on-blue");
                assertThat(b.run(List.of("test", "-e", "/var/lib/postgresql/only-on-blue"), Duration.ofSeconds(10)).ok())
                        .isTrue();
                assertThat(g.run(List.of("test", "-e", "/var/lib/postgresql/only-on-blue"), Duration.ofSeconds(10)).ok())
                        .as("green has a filesystem of its own").isFalse();
                assertThat(run(b, "getent", "hosts", "green")).as("blue reaches green by name")
                        .doesNotContain(run(b, "hostname", "-i").strip());
                assertThat(run(g, "/var/cache/pgmigrate/pg18/bin/postgres", "--version")).contains("PostgreSQL) 18");
                assertThat(run(g, "/usr/lib/postgresql/15/bin/postgres", "--version")).contains("PostgreSQL) 15");
            }
            Path planted = dir.resolve("known_hosts-planted");
            java.nio.file.Files.writeString(planted, "[127.0.0.1]:" + green.sshPort() + " " + blue.hostKeyLine() + "\n");
            try (SshShell wrongKey = new SshShell(green.inventoryHost(planted), TransportOptions.defaults())) {
                CommandResult r = null;
                try {
                    r = wrongKey.run(List.of("hostname"), Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    assertThat(e.getMessage()).containsIgnoringCase("host key");
                }
                assertThat(r).as("blue's key does not let pgmigrate into green").isNull();
            }
        }
    }

    private static String run(SshShell shell, String... argv) {
        CommandResult r = shell.run(List.of(argv), Duration.ofSeconds(30));
        assertThat(r.ok()).as(String.join(" ", argv) + ": " + r.stderr()).isTrue();
        return r.stdout().strip();
    }
}
