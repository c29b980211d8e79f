package io.pgmigrate.demo;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's inventory loads as the inventory the demo means, for the local transport and for SSH. */
class DemoInventoryTest {
    private static final DemoDir DIR = DemoDir.of(Path.of("/tmp/pgmigrate-demo"));
    private static final DemoToolchain TOOLCHAIN = new DemoToolchain(Path.of("/usr/lib/postgresql/15/bin"),
            Path.of("/var/cache/pgmigrate/pg18/bin"));

    private static Inventory load(String yaml) {
        return InventoryLoader.parse(yaml, DIR.inventory(), Path.of("/root"), "root");
    }

    @Test
    void localAsPostgres() {
        Inventory inv = load(DemoInventory.yaml(DIR, TOOLCHAIN, new Inventory.Host("local", null, "postgres"),
                5532, 5533, Inventory.UpgradeMode.SWAP));
        assertThat(inv.name()).isEqualTo("demo");
        assertThat(inv.strategy()).isEqualTo(Strategy.PG_UPGRADE);
        assertThat(inv.source().host().isLocal()).isTrue();
        assertThat(inv.source().host().become()).isEqualTo("postgres");
        assertThat(inv.source().pg()).isEqualTo(new Inventory.PgEndpoint("127.0.0.1", 5532, "postgres", "postgres", "disable"));
        assertThat(inv.source().tunnel()).isFalse();
        assertThat(inv.source().dataDir()).isEqualTo(Path.of("/tmp/pgmigrate-demo/data"));
        assertThat(inv.source().binDir()).isEqualTo(TOOLCHAIN.pg15Bin());
        assertThat(inv.target().version()).isEqualTo(18);
        assertThat(inv.target().binDir()).isEqualTo(TOOLCHAIN.pg18Bin());
        assertThat(inv.target().dataDir()).isEqualTo(Path.of("/tmp/pgmigrate-demo/data18"));
        assertThat(inv.target().port()).isEqualTo(5533);
        assertThat(inv.options().mode()).isEqualTo(Inventory.UpgradeMode.SWAP);
    }

    @Test
    void localAsOurselvesHasNoBecome() {
        Inventory inv = load(DemoInventory.yaml(DIR, TOOLCHAIN, new Inventory.Host("local", null, null),
                5532, 5533, Inventory.UpgradeMode.LINK));
        assertThat(inv.source().host().become()).isNull();
        assertThat(inv.options().mode()).isEqualTo(Inventory.UpgradeMode.LINK);
    }

    @Test
    void sshToLoopbackWithDefaultKeysAndKnownHosts() {
        String yaml = DemoInventory.yaml(DIR, TOOLCHAIN, new Inventory.Host("127.0.0.1",
                new Inventory.Ssh("root", 22, null, null), "postgres"), 5532, 5533, Inventory.UpgradeMode.SWAP);
        assertThat(yaml).contains("  ssh: { user: root, port: 22 }\n");
        Inventory.Host host = load(yaml).source().host();
        assertThat(host.isLocal()).isFalse();
        assertThat(host.address()).isEqualTo("127.0.0.1");
        assertThat(host.ssh().user()).isEqualTo("root");
        assertThat(host.ssh().port()).isEqualTo(22);
        assertThat(host.become()).isEqualTo("postgres");
    }

    @Test
    void sshWithAnIdentityAndKnownHostsFile() {
        Inventory.Host host = load(DemoInventory.yaml(DIR, TOOLCHAIN, new Inventory.Host("127.0.0.1",
                new Inventory.Ssh("root", 2222, Path.of("/tmp/k/id"), Path.of("/tmp/k/known_hosts")), "postgres"),
                5532, 5533, Inventory.UpgradeMode.SWAP)).source().host();
        assertThat(host.ssh()).isEqualTo(new Inventory.Ssh("root", 2222, Path.of("/tmp/k/id"), Path.of("/tmp/k/known_hosts")));
    }
}
