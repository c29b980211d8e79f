package io.pgmigrate.testing;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.Cutover;
import io.pgmigrate.inventory.Inventory.Host;
import io.pgmigrate.inventory.Inventory.Options;
import io.pgmigrate.inventory.Inventory.PgEndpoint;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.inventory.Inventory.ServiceControl;
import io.pgmigrate.inventory.Inventory.SourceCluster;
import io.pgmigrate.inventory.Inventory.TargetCluster;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.inventory.Inventory.Verify;

import java.nio.file.Path;
import java.util.List;

/** Inventories for unit tests, matching {@link Facts#healthy()}. */
public final class Inventories {
    private Inventories() {
    }

    public static Inventory sample() {
        return withMode(UpgradeMode.SWAP);
    }

    /** Blue/green: the sample's clusters with {@code strategy: logical}, green on port 5433 of the same host. */
    public static Inventory logical() {
        Inventory inv = sample();
        return new Inventory(inv.name(), Strategy.LOGICAL, inv.source(), inv.target(), inv.options(),
                inv.cutover(), inv.smokeQueries(), inv.file());
    }

    public static Inventory withMode(UpgradeMode mode) {
        Host local = new Host(Host.LOCAL, null, null);
        SourceCluster source = new SourceCluster(local, new PgEndpoint("127.0.0.1", 5432, "postgres", "postgres",
                "prefer"), false, Path.of("/var/lib/postgresql/15/main"), Path.of("/usr/lib/postgresql/15/bin"),
                null, ServiceControl.pgCtl());
        TargetCluster target = new TargetCluster(18, Path.of("/usr/lib/postgresql/18/bin"),
                Path.of("/var/lib/postgresql/18/main"), 5433, null);
        return new Inventory("orders-prod", Strategy.PG_UPGRADE, source, target,
                new Options(mode, 4, new Verify(RowCountMode.EXACT, true, false)), new Cutover(null), List.of(),
                Path.of("/etc/pgmigrate/pgmigrate.yaml"));
    }

    /**
     * A standby on a host of its own (issue #15) at the primary's paths, as {@link Facts#listedStandby} reads it:
     * its host is {@code name.internal}, reached over SSH as admin, become postgres.
     */
    public static Inventory.Standby standby(String name) {
        Host host = new Host(name + ".internal", new Inventory.Ssh("admin", 22, Path.of("/home/dba/.ssh/id_ed25519"),
                Path.of("/home/dba/.ssh/known_hosts")), "postgres");
        return new Inventory.Standby(name, host, new PgEndpoint(name + ".internal", 5432, "postgres", "postgres",
                "prefer"), false, Path.of("/var/lib/postgresql/15/main"), Path.of("/usr/lib/postgresql/15/bin"),
                Path.of("/var/lib/postgresql/18/main"), Path.of("/usr/lib/postgresql/18/bin"), true);
    }

    /**
     * The sample in {@code mode} with these standbys under Patroni ({@code ha.patroni}), as {@link Facts#withPatroni}
     * reads it: REST APIs {@code db1.internal:8008} and {@code <name>.internal:8008}, patroni.yml at
     * {@code /etc/patroni/patroni.yml}, {@code systemd:patroni}.
     */
    public static Inventory withPatroni(UpgradeMode mode, String... standbyNames) {
        List<String> rest = new java.util.ArrayList<>(List.of("db1.internal:8008"));
        java.util.Arrays.stream(standbyNames).forEach(n -> rest.add(n + ".internal:8008"));
        return withStandbys(mode, standbyNames).withHa(new Inventory.Ha(new Inventory.Patroni(
                Path.of("/etc/patroni/patroni.yml"), rest, Inventory.PatroniService.systemd("patroni"))));
    }

    /** The sample in {@code mode} with these standbys, each rebuilt by pgmigrate. */
    public static Inventory withStandbys(UpgradeMode mode, String... names) {
        return withMode(mode).withStandbys(java.util.Arrays.stream(names).map(Inventories::standby).toList());
    }
}
