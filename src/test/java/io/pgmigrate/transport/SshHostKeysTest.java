package io.pgmigrate.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SshHostKeysTest {
    // public halves of two throw-away ed25519 keys and one RSA key (type and base64 only)
    static final String ED_A = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    static final String ED_B = "AAAAC3NzaC1lZDI1NTE5AAAAIBp6Jh2wkwM5nOb9lW1nkX8iKY9S2bqvGdY6nV2J4Zq7";
    static final byte[] KEY_A = Base64.getDecoder().decode(ED_A);
    static final byte[] KEY_B = Base64.getDecoder().decode(ED_B);

    @TempDir
    Path dir;

    private SshHostKeys keys(String content, boolean acceptNew) throws IOException {
        Path file = dir.resolve("known_hosts");
        if (content != null) {
            Files.writeString(file, content);
        }
        return new SshHostKeys(file, acceptNew);
    }

    @Test
    void keyTypeAndFingerprintAsOpenSshShowsThem() throws Exception {
        assertThat(SshHostKeys.keyType(KEY_A)).isEqualTo("ssh-ed25519");
        Path pub = dir.resolve("k.pub");
        Files.writeString(pub, "ssh-ed25519 " + ED_A + " test\n");
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        assertThat(out.split("\\s+")[1]).isEqualTo(SshHostKeys.fingerprint(KEY_A));
        assertThat(SshHostKeys.keyType(new byte[] {1, 2})).isEqualTo("unknown");
    }

    @Test
    void knownKeyPasses() throws IOException {
        SshHostKeys k = keys("[db1]:2222 ssh-ed25519 " + ED_A + "\n", false);
        assertThat(k.check("[db1]:2222", KEY_A)).isEqualTo(SshHostKeys.OK);
        assertThat(k.last().verdict()).isEqualTo(SshHostKeys.Verdict.KNOWN);
        assertThat(k.refusal("u@db1:2222", "db1", 2222)).isNull();
    }

    @Test
    void unknownHostIsRefusedWithFingerprintAndWhatToDo() throws IOException {
        SshHostKeys k = keys("other ssh-ed25519 " + ED_A + "\n", false);
        assertThat(k.check("[db1]:2222", KEY_A)).isEqualTo(SshHostKeys.NOT_INCLUDED);
        String msg = k.refusal("u@db1:2222", "db1", 2222);
        assertThat(msg).contains("u@db1:2222", "ssh-ed25519 " + SshHostKeys.fingerprint(KEY_A),
                "ssh-keyscan -p 2222 -t ed25519 db1 >> ", "--accept-new-host-key").doesNotContain("\n");
    }

    @Test
    void missingFileIsAnEmptyOne() throws IOException {
        SshHostKeys k = keys(null, false);
        assertThat(k.check("db1", KEY_A)).isEqualTo(SshHostKeys.NOT_INCLUDED);
        assertThat(k.refusal("u@db1:22", "db1", 22)).contains("ssh-keyscan -t ed25519 db1");
        assertThat(Files.exists(dir.resolve("known_hosts"))).isFalse();
    }

    @Test
    void changedKeyIsRefusedEvenWhenAcceptingNewOnes() throws IOException {
        String content = "db1 ssh-ed25519 " + ED_B + "\n";
        SshHostKeys k = keys(content, true);
        assertThat(k.check("db1", KEY_A)).isEqualTo(SshHostKeys.CHANGED);
        assertThat(k.refusal("u@db1:22", "db1", 22)).contains("CHANGED", "ssh-keygen -R 'db1'");
        assertThat(Files.readString(dir.resolve("known_hosts"))).isEqualTo(content);
    }

    @Test
    void acceptNewAppendsAndThenKnows() throws IOException {
        SshHostKeys k = keys("# comment without newline", true);
        assertThat(k.check("[db1]:2222", KEY_A)).isEqualTo(SshHostKeys.OK);
        assertThat(k.last().verdict()).isEqualTo(SshHostKeys.Verdict.ACCEPTED_NEW);
        assertThat(Files.readAllLines(dir.resolve("known_hosts")))
                .containsExactly("# comment without newline", "[db1]:2222 ssh-ed25519 " + ED_A);
        SshHostKeys strict = new SshHostKeys(dir.resolve("known_hosts"), false);
        assertThat(strict.check("[db1]:2222", KEY_A)).isEqualTo(SshHostKeys.OK);
    }

    @Test
    void otherKeyTypeKnownIsNotAcceptedAsNew() throws IOException {
        String rsa = "AAAAB3NzaC1yc2EAAAADAQABAAABAQC7";
        SshHostKeys k = keys("db1 ssh-rsa " + rsa + "\n", true);
        assertThat(k.check("db1", KEY_A)).isEqualTo(SshHostKeys.NOT_INCLUDED);
        assertThat(k.last().verdict()).isEqualTo(SshHostKeys.Verdict.OTHER_TYPES_KNOWN);
        assertThat(k.refusal("u@db1:22", "db1", 22)).contains("lists ssh-rsa", "does not cover this");
    }

    @Test
    void revokedKeyIsRefused() throws IOException {
        SshHostKeys k = keys("@revoked * ssh-ed25519 " + ED_A + "\ndb1 ssh-ed25519 " + ED_A + "\n", true);
        assertThat(k.check("db1", KEY_A)).isEqualTo(SshHostKeys.CHANGED);
        assertThat(k.refusal("u@db1:22", "db1", 22)).contains("@revoked");
    }

    @Test
    void portTwentyTwoEntryNamesHostPlainly() throws IOException {
        SshHostKeys k = keys(null, true);
        k.check("db1", KEY_A);
        assertThat(Files.readAllLines(dir.resolve("known_hosts"))).isEqualTo(List.of("db1 ssh-ed25519 " + ED_A));
    }
}
