package io.pgmigrate.transport;

import io.pgmigrate.inventory.Inventory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Command lines SshShell builds (no connection is made). */
class SshShellTest {
    private static SshConnection to(String user) {
        return SshConnection.to(new Inventory.Host("db1", new Inventory.Ssh(user, 2222, Path.of("/k"), Path.of("/kh")), null),
                TransportOptions.defaults());
    }

    @Test
    void becomeGoesThroughSudoNonInteractively() {
        SshShell sh = new SshShell(to("admin"), "postgres");
        assertThat(sh.withBecome(List.of("pg_ctl", "status")))
                .containsExactly("sudo", "-n", "-u", "postgres", "--", "pg_ctl", "status");
        assertThat(sh.describe()).isEqualTo("admin@db1:2222 (as postgres)");
    }

    @Test
    void noSudoWithoutBecomeOrWhenAlreadyThatUser() {
        assertThat(new SshShell(to("admin"), null).withBecome(List.of("id"))).containsExactly("id");
        assertThat(new SshShell(to("admin"), " ").withBecome(List.of("id"))).containsExactly("id");
        assertThat(new SshShell(to("postgres"), "postgres").withBecome(List.of("id"))).containsExactly("id");
    }

    @Test
    void hostSideTimeoutFiresAfterOurs() {
        assertThat(SshShell.withHostTimeout(List.of("pg_upgrade", "--check"), Duration.ofMillis(1500)))
                .containsExactly("timeout", "-k", "5s", "4s", "pg_upgrade", "--check");
        assertThat(ShellQuoting.join(new SshShell(to("admin"), "postgres")
                .withBecome(SshShell.withHostTimeout(List.of("ls", "/data dir"), Duration.ofMinutes(10)))))
                .isEqualTo("sudo -n -u postgres -- timeout -k 5s 602s ls '/data dir'");
    }

    @Test
    void durationsReadLikeAPerson() {
        assertThat(SshShell.human(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(SshShell.human(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(SshShell.human(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(SshShell.human(Duration.ofSeconds(150))).isEqualTo("2m 30s");
    }

    @Test
    void defaultsOfMissingSshSettings() {
        SshConnection c = SshConnection.to(new Inventory.Host("db2", null, null), TransportOptions.defaults());
        assertThat(c.describe()).isEqualTo(System.getProperty("user.name") + "@db2:22");
    }
}
