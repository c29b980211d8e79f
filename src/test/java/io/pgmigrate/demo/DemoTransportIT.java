package io.pgmigrate.demo;

import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo uses SSH to 127.0.0.1 only when it works without asking; otherwise local, saying why. */
class DemoTransportIT {
    @TempDir
    Path tmp;

    @Test
    void nothingListening() {
        int port = PgCluster.freePort();
        DemoTransport t = DemoTransport.choose(new DemoTransport.SshTarget(port, null, null), null, TransportOptions.defaults());
        assertThat(t.host().isLocal()).isTrue();
        assertThat(t.note()).isEqualTo("no sshd for the demo: using the local transport (nothing listens on 127.0.0.1:"
                + port + ")");
    }

    @Test
    void aWorkingLoginIsUsed() {
        TestSshd sshd = TestSshd.shared();
        DemoTransport t = DemoTransport.choose(new DemoTransport.SshTarget(sshd.port(), sshd.clientKey(), sshd.knownHosts()),
                "postgres", TransportOptions.defaults());
        assertThat(t.host().address()).isEqualTo("127.0.0.1");
        assertThat(t.host().ssh().port()).isEqualTo(sshd.port());
        assertThat(t.host().become()).isEqualTo("postgres");
        assertThat(t.note()).startsWith("SSH to root@127.0.0.1:" + sshd.port() + " (as postgres) works");
    }

    @Test
    void anUnknownHostKeyIsNotAcceptedSilently() throws IOException {
        TestSshd sshd = TestSshd.shared();
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        DemoTransport t = DemoTransport.choose(new DemoTransport.SshTarget(sshd.port(), sshd.clientKey(), knownHosts),
                "postgres", TransportOptions.defaults());
        assertThat(t.host().isLocal()).isTrue();
        assertThat(t.note()).startsWith("no usable SSH to 127.0.0.1 for the demo: using the local transport (SSH host key of")
                .contains("is not known", "--accept-new-host-key");
        assertThat(knownHosts).isEmptyFile();
    }

    @Test
    void acceptNewHostKeyTrustsItAndRecordsIt() throws IOException {
        TestSshd sshd = TestSshd.shared();
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        DemoTransport t = DemoTransport.choose(new DemoTransport.SshTarget(sshd.port(), sshd.clientKey(), knownHosts),
                "postgres", TransportOptions.defaults().withAcceptNewHostKey(true));
        assertThat(t.host().isLocal()).as(t.note()).isFalse();
        assertThat(Files.readString(knownHosts)).contains(sshd.hostKeyLine());
    }

    @Test
    void aKeyTheServerRefusesMeansLocal() throws IOException {
        TestSshd sshd = TestSshd.shared();
        Path stranger = tmp.resolve("stranger");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString()).start()
                .onExit().join();
        DemoTransport t = DemoTransport.choose(new DemoTransport.SshTarget(sshd.port(), stranger, sshd.knownHosts()),
                "postgres", TransportOptions.defaults());
        assertThat(t.host().isLocal()).isTrue();
        assertThat(t.note()).contains("the server did not accept key " + stranger);
    }
}
