package io.pgmigrate.inventory;

import io.pgmigrate.inventory.Inventory.UpgradeMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The example shipped in examples/ must load cleanly: it is what newcomers copy. */
class InventoryExampleTest {

    @Test
    void exampleLoads() {
        Inventory inv = InventoryAssertions.load(Path.of("examples/pgmigrate.yaml"));
        assertThat(inv.name()).isEqualTo("orders-prod");
        assertThat(inv.source().host().address()).isEqualTo("db1.internal");
        assertThat(inv.source().host().ssh().identity()).isEqualTo(Path.of("/home/dba/.ssh/id_ed25519"));
        assertThat(inv.options().mode()).isEqualTo(UpgradeMode.SWAP);
        assertThat(inv.cutover().pgbouncer().port()).isEqualTo(6432);
        assertThat(inv.smokeQueries()).hasSize(1);
    }

    @Test
    void exampleLoadsWithTheRealHomeAndUser() {
        Inventory inv = InventoryLoader.load(Path.of("examples/pgmigrate.yaml"));
        assertThat(inv.source().host().ssh().identity()).isAbsolute();
    }
}
