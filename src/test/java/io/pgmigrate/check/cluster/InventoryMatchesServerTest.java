package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InventoryMatchesServerTest {
    private final InventoryMatchesServer check = new InventoryMatchesServer();

    @Test
    void healthyIsSilent() {
        assertThat(Run.check(check, Facts.healthy())).isEmpty();
    }

    @Test
    void symlinkedDataDirMatchesByRealPath() {
        Facts f = Facts.healthy();
        f.dataDirectory = "/srv/pg15";
        f.dataDirectoryRealPath = "/var/lib/postgresql/15/main";
        assertThat(Run.check(check, f)).isEmpty();
    }

    @Test
    void wrongDataDirIsABlockerNamingTheServersDirectory() {
        Facts f = Facts.healthy();
        f.dataDirectory = "/srv/pg15/data";
        f.dataDirectoryRealPath = "/srv/pg15/data";
        List<Finding> found = Run.check(check, f);
        assertThat(found).hasSize(1);
        Finding x = found.get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly("source.dataDir: /var/lib/postgresql/15/main",
                "server data_directory: /srv/pg15/data");
        assertThat(x.fix()).isEqualTo("set source.dataDir: /srv/pg15/data");
    }

    @Test
    void pgVersionFileOfAnotherMajor() {
        Facts f = Facts.healthy();
        f.sourceHost = new HostFacts("/var/lib/postgresql/15/main", true, "14", "2049", "ext2/ext3", 1L << 40, false,
                "/var/lib/postgresql/15/main", "/var/lib/postgresql/15/main");
        List<Finding> found = Run.check(check, f);
        assertThat(found).singleElement().satisfies(x -> {
            assertThat(x.title()).isEqualTo("source.dataDir holds a PostgreSQL 14 cluster, the server runs PostgreSQL 15");
            assertThat(x.objects()).containsExactly("source.dataDir: /var/lib/postgresql/15/main (PG_VERSION 14)",
                    "server: PostgreSQL 15.18");
        });
    }

    @Test
    void systemIdentifierMismatchIsABlocker() {
        Facts f = Facts.healthy();
        f.systemIdentifier = "7300000000000000002";
        io.pgmigrate.facts.ClusterFacts built = f.build();
        // the control data of another cluster
        java.util.Map<String, String> control = new java.util.TreeMap<>(built.source().controlData().values());
        control.put("Database system identifier", "7300000000000000001");
        var s = built.source();
        var source = new io.pgmigrate.facts.SourceFacts(s.version(), s.binariesVersion(), s.systemIdentifier(),
                s.dataChecksums(), s.dataDirectory(), s.configFile(), s.hbaFile(), s.connectedUser(),
                s.connectedAsSuperuser(), s.bootstrapSuperuser(), s.databases(), s.tablespaces(), s.replicationSlots(),
                s.standbys(), s.preparedTransactions(), s.settings(), s.nonDefaultSettings(),
                new io.pgmigrate.pg.ControlData(control), s.host(), s.probes(), s.inRecovery(),
                s.dataDirectoryRealPath(), s.walDir(), s.settingsNotRecorded());
        var facts = new io.pgmigrate.facts.ClusterFacts(source, built.target(), built.rehearsal());
        var inv = Inventories.sample();
        List<Finding> found = check.evaluate(new io.pgmigrate.check.CheckInput(inv, facts,
                new io.pgmigrate.check.UpgradePath(15, 18, inv.options().mode())));
        assertThat(found).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(x.objects()).containsExactly(
                    "pg_controldata -D /var/lib/postgresql/15/main: system identifier 7300000000000000001",
                    "server at source.pg: system identifier 7300000000000000002");
        });
    }

    @Test
    void configFileOtherThanTheServers() {
        var inv = Inventories.sample();
        var src = inv.source();
        var withConf = new io.pgmigrate.inventory.Inventory(inv.name(), inv.strategy(),
                new io.pgmigrate.inventory.Inventory.SourceCluster(src.host(), src.pg(), src.tunnel(), src.dataDir(),
                        src.binDir(), java.nio.file.Path.of("/etc/postgresql/15/main/postgresql.conf"), src.service()),
                inv.target(), inv.options(), inv.cutover(), inv.smokeQueries(), inv.file());
        List<Finding> found = Run.check(check, Facts.healthy(), withConf);
        assertThat(found).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.WARNING);
            assertThat(x.fix()).isEqualTo("set source.configFile: /var/lib/postgresql/15/main/postgresql.conf");
        });
    }

    @Test
    void sourceBinariesOfAnotherVersion() {
        Facts f = Facts.healthy();
        f.binariesVersion = PgVersion.parse("18.1");
        Finding x = Run.check(check, f).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.title()).isEqualTo("source.binDir holds PostgreSQL 18 binaries, the server runs PostgreSQL 15");
        assertThat(x.fix()).contains("source.binDir", "/usr/lib/postgresql/15/bin");
    }
}
