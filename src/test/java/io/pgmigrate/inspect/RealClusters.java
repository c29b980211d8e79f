package io.pgmigrate.inspect;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.facts.ClusterFacts;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.check.PreChecks;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.Host;
import io.pgmigrate.inventory.Inventory.Options;
import io.pgmigrate.inventory.Inventory.PgEndpoint;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.inventory.Inventory.ServiceControl;
import io.pgmigrate.inventory.Inventory.SourceCluster;
import io.pgmigrate.inventory.Inventory.TargetCluster;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.inventory.Inventory.Verify;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.LocalShell;
import io.pgmigrate.transport.SqlSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Inspection of a real throw-away cluster through the real {@link Inspector} and {@link LocalShell}:
 * an inventory for it whose parts a test can get wrong on purpose.
 */
public final class RealClusters {
    public final PgCluster cluster;
    public String user = PgCluster.SUPERUSER;
    public Path dataDir;
    public Path binDir;
    public int targetVersion = 18;
    public Path targetBinDir = Toolchain.binDir(18);
    public Path targetDataDir;
    public UpgradeMode mode = UpgradeMode.SWAP;
    public Strategy strategy = Strategy.PG_UPGRADE;
    /** OS user the source host's commands run as (source.become), null for the test's own user. */
    public String become;

    public RealClusters(PgCluster cluster) {
        this.cluster = cluster;
        this.dataDir = cluster.dataDir();
        this.binDir = cluster.binDir();
        this.targetDataDir = cluster.root().resolve("new18");
    }

    public Inventory inventory() {
        Host local = new Host(Host.LOCAL, null, become);
        SourceCluster source = new SourceCluster(local, new PgEndpoint("127.0.0.1", cluster.port(), user, "postgres",
                "disable"), false, dataDir, binDir, null, ServiceControl.pgCtl());
        TargetCluster target = new TargetCluster(targetVersion, targetBinDir, targetDataDir, cluster.port() + 1, null);
        return new Inventory("it", strategy, source, target,
                new Options(mode, 2, new Verify(RowCountMode.EXACT, true, false)), null, List.of(), Path.of("/tmp/it.yaml"));
    }

    public ClusterFacts inspect() {
        Inventory inv = inventory();
        try (ClusterAccess access = access(inv); HostShell target = new LocalShell(null)) {
            return new Inspector().inspect(inv, access, target);
        }
    }

    /** Inspects, then runs every pre-check (cluster and catalog) on the facts. */
    public List<Finding> findings() {
        Inventory inv = inventory();
        ClusterFacts facts = inspect();
        UpgradePath path = new UpgradePath(facts.source().version().major(), inv.target().version(),
                inv.options().mode());
        return PreChecks.evaluate(new CheckInput(inv, facts, path));
    }

    public static List<Finding> of(List<Finding> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).toList();
    }

    private ClusterAccess access(Inventory inv) {
        PgEndpoint pg = inv.source().pg();
        LocalShell shell = new LocalShell(inv.source().host().become());
        return new ClusterAccess() {
            @Override
            public HostShell shell() {
                return shell;
            }

            @Override
            public SqlSession connect(String database) {
                return JdbcSqlSession.open(pg.host(), pg.port(), pg.user(), database, pg.sslmode());
            }

            @Override
            public String maintenanceDatabase() {
                return pg.database();
            }

            @Override
            public void close() {
                shell.close();
            }
        };
    }
}
