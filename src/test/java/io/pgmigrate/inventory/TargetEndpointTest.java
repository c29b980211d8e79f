package io.pgmigrate.inventory;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.inventory.Inventory.Host;
import io.pgmigrate.inventory.Inventory.PgEndpoint;
import io.pgmigrate.inventory.Inventory.SourceCluster;
import io.pgmigrate.inventory.Inventory.TargetCluster;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetEndpointTest {
    private static final Host DB1 = new Host("db1.internal", new Inventory.Ssh("admin", 22, Path.of("/k"),
            Path.of("/kh")), "postgres");
    private static final Host DB2 = new Host("db2.internal", DB1.ssh(), null);

    private static Inventory logical(Host sourceHost, boolean tunnel, Host targetHost) {
        Inventory inv = Inventories.sample();
        SourceCluster s = inv.source();
        return new Inventory(inv.name(), Strategy.LOGICAL, new SourceCluster(sourceHost,
                new PgEndpoint("10.0.0.5", 5432, "dba", "admin", "require"), tunnel, s.dataDir(), s.binDir(), null,
                s.service()), new TargetCluster(18, inv.target().binDir(), inv.target().dataDir(), 5433, targetHost),
                inv.options(), inv.cutover(), inv.smokeQueries(), inv.file());
    }

    @Test
    void greenOnTheSourceHostIsReachedLikeTheSourceOnTargetPort() {
        TargetEndpoint t = TargetEndpoint.of(logical(DB1, true, null));
        assertThat(t.host()).isEqualTo(DB1);
        assertThat(t.tunnel()).isTrue();
        assertThat(t.pg()).isEqualTo(new PgEndpoint("10.0.0.5", 5433, "dba", "admin", "require"));
    }

    @Test
    void greenOnAnotherHostIsTunnelledTo127001ThereOrReachedByItsAddress() {
        TargetEndpoint tunnelled = TargetEndpoint.of(logical(DB1, true, DB2));
        assertThat(tunnelled.host()).isEqualTo(DB2);
        assertThat(tunnelled.tunnel()).isTrue();
        assertThat(tunnelled.pg().host()).isEqualTo("127.0.0.1");
        TargetEndpoint direct = TargetEndpoint.of(logical(DB1, false, DB2));
        assertThat(direct.tunnel()).isFalse();
        assertThat(direct.pg().host()).isEqualTo("db2.internal");
        assertThat(direct.pg().port()).isEqualTo(5433);
    }

    @Test
    void greenOnThisMachineIsLoopback() {
        TargetEndpoint t = TargetEndpoint.of(logical(DB1, true, new Host(Host.LOCAL, null, null)));
        assertThat(t.tunnel()).isFalse();
        assertThat(t.pg().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void anInPlaceUpgradeHasNoLiveTarget() {
        assertThatThrownBy(() -> TargetEndpoint.of(Inventories.sample()))
                .isInstanceOf(PgMigrateException.class)
                .hasMessageContaining("/etc/pgmigrate/pgmigrate.yaml: strategy pg-upgrade upgrades the cluster in place")
                .satisfies(e -> assertThat(((PgMigrateException) e).exitCode().code()).isEqualTo(2));
    }
}
