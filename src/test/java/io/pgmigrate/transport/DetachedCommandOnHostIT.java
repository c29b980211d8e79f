package io.pgmigrate.transport;

import io.pgmigrate.testing.hosts.TestHost;
import io.pgmigrate.testing.hosts.TestHosts;
import io.pgmigrate.transport.DetachedCommand.Started;
import io.pgmigrate.transport.DetachedCommand.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DetachedCommand} on a database host of its own (a container), over pgmigrate's SSH as postgres: a program
 * started detached runs on when pgmigrate's connection closes and when the host cuts it (its sshd sessions killed,
 * as a dropped link or a dead controller leave them), its outcome and whole output are read back over a new
 * connection, and its name never runs twice; one killed on the host is LOST, and only then may it run again.
 */
class DetachedCommandOnHostIT {
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final String STATE = "/var/lib/postgresql/detached 'state'";
    private static final String COUNTER = "/var/lib/postgresql/counter";

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.named("db1");

    private final io.pgmigrate.testing.CollectedLines collect = new io.pgmigrate.testing.CollectedLines();
    private final List<String> lines = collect.lines();

    private static SshShell shell() {
        return new SshShell(HOSTS.host("db1").inventoryHost(HOSTS.knownHosts()), TransportOptions.defaults());
    }

    @Test
    void outcomeSurvivesTheLinkDroppingAndANameNeverRunsTwice() {
        TestHost host = HOSTS.host("db1");
        List<String> argv = List.of("sh", "-c", "echo run >> \"$1\"; echo begin on $(hostname); sleep 12; echo done >&2;"
                + " exit 7", "sh", COUNTER);
        try (SshShell sh = shell()) {
            Started s = DetachedCommand.on(sh, STATE, "upgrade").start(argv, "/tmp");
            assertThat(s.now()).isTrue();
            assertThat(s.status()).isEqualTo(Status.RUNNING);
        }
        try (SshShell sh = shell()) {
            DetachedCommand c = DetachedCommand.on(sh, STATE, "upgrade");
            assertThat(c.status()).isEqualTo(Status.RUNNING);
            // the host cuts every SSH session of postgres: what a dropped link or a SIGKILLed controller leave
            host.exec("pkill", "-KILL", "-f", "^sshd: postgres");
            assertThat(c.status()).as("asked again over a new connection").isEqualTo(Status.RUNNING);
            Started again = c.start(argv, "/tmp");
            assertThat(again.now()).isFalse();
            assertThat(c.await(AWAIT, collect)).isEqualTo(Status.finished(7));
            assertThat(lines).containsExactly("begin on db1", "done");
        }
        assertThat(host.exec("cat", COUNTER)).isEqualTo("run\n");
        assertThat(host.exec("cat", STATE + "/upgrade.rc")).isEqualTo("7\n");
        assertThat(host.exec("stat", "-c", "%a %U", STATE).strip()).isEqualTo("700 postgres");
    }

    @Test
    void killedOnTheHostItIsLostAndOnlyForgetLetsItRunAgain() {
        try (SshShell sh = shell()) {
            DetachedCommand c = DetachedCommand.on(sh, STATE, "doomed");
            c.start(List.of("sleep", "303.5"), "/tmp");
            String pid = HOSTS.host("db1").exec("cat", STATE + "/doomed.pid").split(" ")[0];
            HOSTS.host("db1").exec("kill", "-KILL", "--", "-" + pid);
            assertThat(c.await(AWAIT, collect)).isEqualTo(Status.LOST);
            assertThat(c.start(List.of("sleep", "303.5"), "/tmp")).isEqualTo(new Started(false, Status.LOST));
            c.forget();
            assertThat(c.start(List.of("hostname"), "/tmp").now()).isTrue();
            assertThat(c.await(AWAIT, collect)).isEqualTo(Status.finished(0));
            assertThat(lines).containsExactly("db1");
        }
    }
}
