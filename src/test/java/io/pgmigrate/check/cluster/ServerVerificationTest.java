package io.pgmigrate.check.cluster;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** server-not-verified: a connection that crosses a network without verifying the server is warned about. */
class ServerVerificationTest {
    private static Inventory inv(String pg, String tail) {
        return InventoryLoader.parse("name: orders-prod\n"
                + "source:\n  host: db1.internal\n  dataDir: /var/lib/postgresql/15/main\n"
                + "  binDir: /usr/lib/postgresql/15/bin\n" + pg
                + "target:\n  version: 18\n  binDir: /usr/lib/postgresql/18/bin\n  dataDir: /var/lib/postgresql/18/main\n"
                + tail, Path.of("pgmigrate.yaml"), Path.of("/home/dba"), "dba");
    }

    private static List<Finding> run(Inventory inv) {
        return Run.check(new ServerVerification(), Facts.healthy(), inv);
    }

    @Test
    void aRemoteServerWithoutVerificationIsWarnedAbout() {
        List<Finding> found = run(inv("  pg: { host: db1.internal, sslmode: require }\n", ""));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.objects()).containsExactly("source.pg: db1.internal:5432, sslmode require");
            assertThat(f.fix()).contains("verify-full");
        });
        assertThat(run(inv("  pg: { host: db1.internal }\n", "")).get(0).objects())
                .containsExactly("source.pg: db1.internal:5432, sslmode prefer");
    }

    @Test
    void loopbackSocketsTunnelsToLoopbackAndVerifiedServersAreNot() {
        assertThat(run(inv("  pg: { host: 127.0.0.1 }\n", ""))).isEmpty();
        assertThat(run(inv("  pg: { host: /var/run/postgresql }\n", ""))).isEmpty();
        assertThat(run(inv("  tunnel: true\n  pg: { host: localhost, sslmode: disable }\n", ""))).isEmpty();
        assertThat(run(inv("  pg: { host: db1.internal, sslmode: verify-full }\n", ""))).isEmpty();
        assertThat(run(inv("  pg: { host: db1.internal, sslmode: verify-ca }\n", ""))).isEmpty();
        assertThat(run(inv("  tunnel: true\n  pg: { host: 10.0.0.5, sslmode: prefer }\n", "")).get(0).objects())
                .containsExactly("source.pg: 10.0.0.5:5432 (from the SSH host), sslmode prefer");
    }

    @Test
    void replicationBetweenHostsFollowsItsOwnSslmode() {
        String green = "  host: db2.internal\nstrategy: logical\n";
        List<Finding> found = run(inv("  tunnel: true\n  pg: { host: 127.0.0.1, sslmode: verify-full }\n",
                green + "options: { replicationSslmode: prefer }\n"));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).startsWith("Replication between blue's and green's hosts");
            assertThat(f.objects()).containsExactly("subscriptions and pg_dump between db1.internal and db2.internal:"
                    + " sslmode prefer (options.replicationSslmode)");
            assertThat(f.fix()).contains("options.replicationSslmode: verify-full");
        });
        assertThat(run(inv("  tunnel: true\n  pg: { host: 127.0.0.1, sslmode: require }\n", green)))
                .extracting(Finding::title).containsExactly("Replication between blue's and green's hosts does not"
                        + " verify the server");
        assertThat(run(inv("  tunnel: true\n  pg: { host: 127.0.0.1 }\n",
                green + "options: { replicationSslmode: verify-full }\n"))).isEmpty();
        // green on another host reached straight (no tunnel) is one more of pgmigrate's own connections
        assertThat(run(inv("  pg: { host: db1.internal }\n", green + "options: { replicationSslmode: verify-ca }\n"))
                .get(0).objects()).containsExactly("source.pg: db1.internal:5432, sslmode prefer",
                "green: db2.internal:5433, sslmode prefer (source.pg.sslmode)");
    }
}
