package io.pgmigrate.inspect;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.TargetFacts;

import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.facts.SourceFacts.ExtensionFacts;
import io.pgmigrate.facts.SourceFacts.TablespaceFacts;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A real PostgreSQL 15 source with PostgreSQL 18 target binaries, inspected through LocalShell and JDBC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InspectorIT {
    private PgCluster pg;
    private ClusterFacts facts;
    private Path tablespaceDir;

    @BeforeAll
    void inspectASetUpCluster() throws Exception {
        pg = PgCluster.create(15, PgCluster.Init.defaults());
        pg.appendConfig(List.of("primary_conninfo = 'host=db0 user=rep password=s3cret'",
                "work_mem = '8MB'"));
        pg.startServer();
        tablespaceDir = pg.root().resolve("ts1");
        Files.createDirectories(tablespaceDir);
        OsUser.chownToOwner(tablespaceDir);
        pg.createDatabase("shop");
        pg.sql("postgres", "CREATE TABLESPACE ts1 LOCATION '" + tablespaceDir + "'");
        pg.sql("shop", "CREATE EXTENSION pgcrypto", "CREATE EXTENSION pg_stat_statements",
                "CREATE TABLE orders (id int PRIMARY KEY, note text)",
                "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "CREATE TABLE archive (id int) TABLESPACE ts1",
                "INSERT INTO archive SELECT g FROM generate_series(1, 1000) g",
                "CREATE SEQUENCE order_no",
                "BEGIN", "INSERT INTO orders VALUES (1, 'x')", "PREPARE TRANSACTION 'it-gid-1'");
        facts = new RealClusters(pg).inspect();
    }

    @AfterAll
    void stop() {
        if (pg != null) {
            pg.sql("shop", "ROLLBACK PREPARED 'it-gid-1'");
            pg.close();
        }
    }

    @Test
    void versionsIdentityAndChecksums() {
        SourceFacts s = facts.source();
        assertThat(s.version().major()).isEqualTo(15);
        assertThat(s.binariesVersion().major()).isEqualTo(15);
        String controldata = OsUser.runAsOwner(List.of(pg.binDir().resolve("pg_controldata").toString(),
                "-D", pg.dataDir().toString()), false).output();
        String id = controldata.lines().filter(l -> l.startsWith("Database system identifier"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();
        assertThat(s.systemIdentifier()).isEqualTo(id).isEqualTo(s.controlData().systemIdentifier());
        assertThat(s.dataChecksums()).isFalse();
        assertThat(s.controlData().dataChecksums()).isFalse();
        assertThat(s.controlData().clusterState()).isEqualTo("in production");
        assertThat(s.dataDirectory()).isEqualTo(pg.dataDir().toString());
        assertThat(s.dataDirectoryRealPath()).isEqualTo(s.host().realPath());
        assertThat(s.configFile()).isEqualTo(pg.dataDir().resolve("postgresql.conf").toString());
        assertThat(s.hbaFile()).isEqualTo(pg.dataDir().resolve("pg_hba.conf").toString());
        assertThat(s.connectedUser()).isEqualTo("postgres");
        assertThat(s.connectedAsSuperuser()).isTrue();
        assertThat(s.bootstrapSuperuser()).isEqualTo("postgres");
        assertThat(s.inRecovery()).isFalse();
    }

    @Test
    void databasesSizesRelationsAndExtensions() {
        Map<String, DatabaseFacts> dbs = facts.source().databases().stream()
                .collect(Collectors.toMap(DatabaseFacts::name, d -> d));
        assertThat(dbs).containsOnlyKeys("postgres", "shop", "template0", "template1");
        DatabaseFacts shop = dbs.get("shop");
        assertThat(shop.encoding()).isEqualTo("UTF8");
        assertThat(shop.collate()).isEqualTo("C.UTF-8");
        assertThat(shop.localeProvider()).isEqualTo("libc");
        assertThat(shop.allowConnections()).isTrue();
        // orders, customers: table + pkey + TOAST table + TOAST index each; archive; order_no
        assertThat(shop.relationCount()).isEqualTo(10);
        assertThat(shop.sizeBytes()).isGreaterThan(shop.catalogSizeBytes()).isGreaterThan(1_000_000);
        assertThat(shop.extensions()).containsExactly(new ExtensionFacts("pg_stat_statements", "1.10", "public"),
                new ExtensionFacts("pgcrypto", "1.3", "public"), new ExtensionFacts("plpgsql", "1.0", "pg_catalog"));
        assertThat(dbs.get("postgres").relationCount()).isZero();
        assertThat(dbs.get("template0").allowConnections()).isFalse();
        assertThat(dbs.get("template0").extensions()).isEmpty();
    }

    @Test
    void tablespacesPreparedTransactionsAndSettings() {
        SourceFacts s = facts.source();
        TablespaceFacts ts = s.tablespaces().stream().filter(t -> t.name().equals("ts1")).findFirst().orElseThrow();
        assertThat(ts.location()).isEqualTo(tablespaceDir.toString());
        assertThat(ts.sizeBytes()).isGreaterThan(8192);
        assertThat(ts.host().deviceId()).isEqualTo(s.host().deviceId());
        assertThat(s.tablespaces()).extracting(TablespaceFacts::name).containsExactly("pg_default", "pg_global", "ts1");
        assertThat(s.preparedTransactions()).singleElement().satisfies(p -> {
            assertThat(p.gid()).isEqualTo("it-gid-1");
            assertThat(p.database()).isEqualTo("shop");
            assertThat(p.owner()).isEqualTo("postgres");
            assertThat(p.prepared()).isNotBlank();
        });
        assertThat(s.replicationSlots()).isEmpty();
        assertThat(s.standbys()).isEmpty();
        assertThat(s.settings()).containsEntry("max_prepared_transactions", "10").containsEntry("server_encoding", "UTF8")
                .containsEntry("block_size", "8192").containsEntry("port", Integer.toString(pg.port()))
                .containsEntry("wal_segment_size", "16777216").containsKey("shared_preload_libraries");
        assertThat(s.nonDefaultSettings()).containsEntry("max_prepared_transactions", "10")
                .containsEntry("fsync", "off").containsEntry("work_mem", "8192")
                .doesNotContainKey("primary_conninfo");
        assertThat(PlanJson.write(facts)).doesNotContain("s3cret");
    }

    @Test
    void sourceHost() {
        HostFacts h = facts.source().host();
        assertThat(h.exists()).isTrue();
        assertThat(h.pgVersionFile()).isEqualTo("15");
        assertThat(h.deviceId()).matches("\\d+");
        assertThat(h.fileSystemType()).isNotBlank();
        assertThat(h.freeBytes()).isPositive();
        assertThat(h.empty()).isFalse();
    }

    @Test
    void targetBinaries() {
        TargetFacts t = facts.target();
        assertThat(t.binDir()).isEqualTo(Toolchain.binDir(18).toString());
        assertThat(t.binariesVersion().major()).isEqualTo(18);
        assertThat(t.pgUpgradeVersion().major()).isEqualTo(18);
        assertThat(t.initdbVersion().major()).isEqualTo(18);
        assertThat(t.configureOptions()).contains("--with-icu", "--with-lz4");
        assertThat(t.libraries()).contains("pgcrypto.so", "pg_stat_statements.so", "plpgsql.so");
        assertThat(t.extensions()).containsKeys("pgcrypto", "pg_stat_statements", "plpgsql")
                .doesNotContainKey("adminpack");
        assertThat(t.extensions().get("pg_stat_statements")).contains("1.10", "1.11", "1.12");
        assertThat(t.defaultVersions()).containsEntry("pg_stat_statements", "1.12").containsEntry("pgcrypto", "1.4");
        assertThat(t.extensionUpdates().get("pg_stat_statements")).contains("1.10--1.11", "1.11--1.12");
        assertThat(t.shareDir()).endsWith("share/postgresql");
        HostFacts d = t.dataDir();
        assertThat(d.exists()).isFalse();
        assertThat(d.empty()).isTrue();
        assertThat(d.statPath()).isEqualTo(pg.root().toString());
        assertThat(d.deviceId()).isEqualTo(facts.source().host().deviceId());
        assertThat(d.freeBytes()).isPositive();
    }

    @Test
    void factsRoundTripThroughJson() throws Exception {
        String json = PlanJson.write(facts);
        assertThat(PlanJson.write(PlanJson.mapper().readValue(json, ClusterFacts.class))).isEqualTo(json);
    }
}
