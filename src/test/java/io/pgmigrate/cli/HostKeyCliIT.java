package io.pgmigrate.cli;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestSshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host key rules as a DBA meets them on the command line: {@code execute} against a host whose key
 * is not in known_hosts stops with one line naming the host and the key's fingerprint; with
 * {@code --accept-new-host-key} it goes on and records the key; a changed key is refused even then.
 */
class HostKeyCliIT {
    @TempDir
    static Path dir;
    static PgCluster pg;
    static TestSshd sshd;
    static Path planFile;

    @BeforeAll
    static void plan() {
        pg = PgCluster.start(15);
        sshd = TestSshd.shared();
        Path inventory = TestInventory.write(dir, "keys", pg, TestInventory.sshHost(sshd), "link", PgCluster.freePort());
        CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
        planFile = dir.resolve("keys.plan.json");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    /** The same inventory, verifying host keys against another known_hosts file. */
    private static Path inventoryWith(Path knownHosts) throws Exception {
        Path file = dir.resolve("keys-" + knownHosts.getFileName() + ".yaml");
        Files.writeString(file, Files.readString(dir.resolve("keys.yaml"))
                .replace(sshd.knownHosts().toString(), knownHosts.toString()));
        return file;
    }

    @Test
    void anUnknownKeyIsRefusedThenAcceptedOnlyWhenAsked() throws Exception {
        Path known = dir.resolve("empty_known_hosts");
        Files.writeString(known, "");
        Path inventory = inventoryWith(known);

        CliRun refused = CliRun.of("execute", "--dry-run", "-i", inventory.toString(), planFile.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().lines()).singleElement().asString()
                .contains("127.0.0.1:" + sshd.port(), sshd.hostKeyFingerprint(), "--accept-new-host-key");
        assertThat(refused.err()).doesNotContain("at io.pgmigrate");
        assertThat(Files.readString(known)).isEmpty();

        CliRun accepted = CliRun.of("execute", "--accept-new-host-key", "--dry-run", "-i", inventory.toString(),
                planFile.toString());
        assertThat(accepted.exitCode()).as(accepted.err() + accepted.out()).isZero();
        assertThat(accepted.out()).contains("dry run passed");
        assertThat(Files.readString(known)).isEqualTo(sshd.knownHostsName() + " " + sshd.hostKeyLine() + "\n");

        CliRun known2 = CliRun.of("execute", "--dry-run", "-i", inventory.toString(), planFile.toString());
        assertThat(known2.exitCode()).as("the recorded key is trusted from now on: " + known2.err()).isZero();
    }

    @Test
    void aChangedKeyIsRefusedEvenWithAcceptNew() throws Exception {
        Path other = dir.resolve("other_host_key");
        OsUser.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()), false);
        String[] f = Files.readString(Path.of(other + ".pub")).split("\\s+");
        Path known = dir.resolve("changed_known_hosts");
        String content = sshd.knownHostsName() + " " + f[0] + " " + f[1] + "\n";
        Files.writeString(known, content);

        CliRun run = CliRun.of("execute", "--accept-new-host-key", "--dry-run", "-i", inventoryWith(known).toString(),
                planFile.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .contains("CHANGED", sshd.hostKeyFingerprint(), "ssh-keygen -R");
        assertThat(Files.readString(known)).isEqualTo(content);
        assertThat(run.out()).doesNotContain("dry run passed");
    }
}
