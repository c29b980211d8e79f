package io.pgmigrate.testing;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.facts.SourceFacts.ExtensionFacts;
import io.pgmigrate.facts.SourceFacts.PreparedTransactionFacts;
import io.pgmigrate.facts.SourceFacts.SlotFacts;
import io.pgmigrate.facts.SourceFacts.StandbyFacts;
import io.pgmigrate.facts.SourceFacts.TablespaceFacts;
import io.pgmigrate.facts.TargetFacts;
import io.pgmigrate.pg.ControlData;
import io.pgmigrate.pg.PgVersion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@link ClusterFacts} for unit tests: a healthy PostgreSQL 15 source matching
 * {@link Inventories#sample()} and PostgreSQL 18 target binaries; change what a test is about.
 */
public final class Facts {
    public PgVersion version = PgVersion.parse("15.18");
    public PgVersion binariesVersion = PgVersion.parse("15.18");
    public String systemIdentifier = "7300000000000000001";
    public boolean dataChecksums = false;
    public String dataDirectory = "/var/lib/postgresql/15/main";
    public String configFile = "/var/lib/postgresql/15/main/postgresql.conf";
    public String hbaFile = "/var/lib/postgresql/15/main/pg_hba.conf";
    public String connectedUser = "postgres";
    public boolean superuser = true;
    public String bootstrapSuperuser = "postgres";
    public List<DatabaseFacts> databases = new ArrayList<>(List.of(
            db("postgres", 8_000_000, 300),
            db("shop", 2_000_000_000L, 420)));
    public List<TablespaceFacts> tablespaces = new ArrayList<>();
    public List<SlotFacts> slots = new ArrayList<>();
    public List<StandbyFacts> standbys = new ArrayList<>();
    public List<PreparedTransactionFacts> prepared = new ArrayList<>();
    public Map<String, String> settings = new TreeMap<>(Map.of(
            "max_connections", "100", "port", "5432", "wal_level", "replica",
            "shared_preload_libraries", "", "server_encoding", "UTF8", "block_size", "8192"));
    public Map<String, String> nonDefaultSettings = new TreeMap<>(Map.of("max_connections", "100", "port", "5432"));
    /** Names of configured settings inspection left out (not on its allowlist). */
    public List<String> settingsNotRecorded = new ArrayList<>();
    public Map<String, String> control = new TreeMap<>(Map.of(
            ControlData.SYSTEM_IDENTIFIER, "7300000000000000001",
            ControlData.CLUSTER_STATE, "in production",
            ControlData.CHECKSUM_VERSION, "0",
            ControlData.WAL_SEGMENT_SIZE, "16777216",
            ControlData.BLOCK_SIZE, "8192",
            ControlData.FLOAT8_PASSING, "by value"));
    public HostFacts sourceHost = new HostFacts("/var/lib/postgresql/15/main", true, "15", "2049", "ext2/ext3",
            100L * 1024 * 1024 * 1024, false, "/var/lib/postgresql/15/main", "/var/lib/postgresql/15/main");
    /** pg_wal on the data directory's file system. */
    public HostFacts walDir = new HostFacts("/var/lib/postgresql/15/main/pg_wal/", true, null, "2049", "ext2/ext3",
            100L * 1024 * 1024 * 1024, false, "/var/lib/postgresql/15/main/pg_wal", "/var/lib/postgresql/15/main/pg_wal/");
    public Map<String, List<ProbeRow>> probes = new TreeMap<>();
    public boolean inRecovery = false;
    public String dataDirectoryRealPath = "/var/lib/postgresql/15/main";
    /** HA managers running on the source's host (process names). */
    public List<String> haManagers = new ArrayList<>();

    public String targetBinDir = "/usr/lib/postgresql/18/bin";
    public PgVersion targetVersion = PgVersion.parse("18.6");
    public PgVersion pgUpgradeVersion = PgVersion.parse("18.6");
    public PgVersion initdbVersion = PgVersion.parse("18.6");
    public List<String> configureOptions = new ArrayList<>(List.of("--with-icu", "--with-lz4", "--with-zstd",
            "--with-libxml", "--with-libxslt", "--with-uuid=e2fs", "--with-openssl"));
    public Map<String, List<String>> targetExtensions = new TreeMap<>(Map.of(
            "plpgsql", List.of("1.0"), "pg_stat_statements", List.of("1.4", "1.10", "1.11", "1.12"),
            "pgcrypto", List.of("1.3", "1.4")));
    public Map<String, String> targetDefaultVersions = new TreeMap<>(Map.of(
            "plpgsql", "1.0", "pg_stat_statements", "1.12", "pgcrypto", "1.4"));
    public Map<String, List<String>> targetExtensionUpdates = new TreeMap<>(Map.of(
            "pg_stat_statements", List.of("1.4--1.5", "1.5--1.6", "1.6--1.7", "1.7--1.8", "1.8--1.9", "1.9--1.10",
                    "1.10--1.11", "1.11--1.12"), "pgcrypto", List.of("1.3--1.4")));
    public List<String> targetLibraries = new ArrayList<>(List.of("plpgsql.so", "pg_stat_statements.so", "pgcrypto.so"));
    public HostFacts targetDataDir = new HostFacts("/var/lib/postgresql/18/main", false, null, "2049", "ext2/ext3",
            100L * 1024 * 1024 * 1024, true, null, "/var/lib/postgresql");
    public String targetShareDir = "/usr/share/postgresql/18";
    public String targetPkgLibDir = "/usr/lib/postgresql/18/lib";

    /** The inventory's standbys as read (issue #15); {@link #listedStandby} makes a healthy one. */
    public List<io.pgmigrate.facts.StandbyFacts> listedStandbys = new ArrayList<>();

    /** The Patroni cluster as read (issue #15); null without {@code ha:}. {@link #withPatroni} makes a healthy one. */
    public io.pgmigrate.facts.PatroniFacts patroni = null;

    /** A clean rehearsal of the databases above, unless a test changes it (null: not run). */
    public io.pgmigrate.facts.RehearsalFacts rehearsal = new io.pgmigrate.facts.RehearsalFacts(true, null,
            List.of("postgres", "shop"), List.of());

    public static Facts healthy() {
        return new Facts();
    }

    public static DatabaseFacts db(String name, long size, long relations, ExtensionFacts... extensions) {
        List<ExtensionFacts> ext = new ArrayList<>(List.of(new ExtensionFacts("plpgsql", "1.0", "pg_catalog")));
        ext.addAll(List.of(extensions));
        return new DatabaseFacts(name, "UTF8", "C.UTF-8", "C.UTF-8", "libc", null, true, -1, false, size, relations,
                ext, 8_000_000L);
    }

    public static ExtensionFacts ext(String name, String version) {
        return new ExtensionFacts(name, version, "public");
    }

    /** A replication slot; retained and unconfirmed WAL in bytes (-1: unknown). */
    public static SlotFacts slot(String name, String type, boolean active, long retained, long unconfirmed) {
        return new SlotFacts(name, type, "logical".equals(type) ? "pgoutput" : null,
                "logical".equals(type) ? "shop" : null, active, "reserved", retained, unconfirmed);
    }

    /** Adds rows to a probe's result, each row given as alternating column, value. */
    public Facts probe(String id, String database, String... columnsAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < columnsAndValues.length; i += 2) {
            values.put(columnsAndValues[i], columnsAndValues[i + 1]);
        }
        probes.computeIfAbsent(id, k -> new ArrayList<>()).add(new ProbeRow(database, values));
        return this;
    }

    public ClusterFacts build() {
        control.put(ControlData.SYSTEM_IDENTIFIER, systemIdentifier);
        control.put(ControlData.CHECKSUM_VERSION, dataChecksums ? "1" : "0");
        SourceFacts source = new SourceFacts(version, binariesVersion, systemIdentifier, dataChecksums, dataDirectory,
                configFile, hbaFile, connectedUser, superuser, bootstrapSuperuser, List.copyOf(databases),
                List.copyOf(tablespaces), List.copyOf(slots), List.copyOf(standbys), List.copyOf(prepared),
                Map.copyOf(settings), Map.copyOf(nonDefaultSettings),
                new ControlData(control), sourceHost, Map.copyOf(probes), inRecovery, dataDirectoryRealPath, walDir,
                List.copyOf(settingsNotRecorded), List.copyOf(haManagers));
        TargetFacts target = new TargetFacts(targetBinDir, targetVersion, pgUpgradeVersion, initdbVersion,
                List.copyOf(configureOptions), Map.copyOf(targetExtensions), Map.copyOf(targetDefaultVersions),
                List.copyOf(targetLibraries), targetDataDir, targetShareDir, targetPkgLibDir,
                Map.copyOf(targetExtensionUpdates));
        return new ClusterFacts(source, target, rehearsal, List.copyOf(listedStandbys), patroni);
    }

    /**
     * A standby as inspection reads a healthy one (issue #15): streaming from the source, which sees it from
     * {@code address} under its application name {@code name}, with 18's binaries and the extensions above on its
     * host, an empty new data directory beside the old one on one file system, reaching the source for replication.
     */
    public io.pgmigrate.facts.StandbyFacts listedStandby(String name, String address, String syncState) {
        HostFacts old = new HostFacts("/var/lib/postgresql/15/main", true, "15", "2049", "ext2/ext3",
                100L * 1024 * 1024 * 1024, false, "/var/lib/postgresql/15/main", "/var/lib/postgresql/15/main");
        TargetFacts target = new TargetFacts(targetBinDir, targetVersion, pgUpgradeVersion, initdbVersion,
                List.copyOf(configureOptions), Map.copyOf(targetExtensions), Map.copyOf(targetDefaultVersions),
                List.copyOf(targetLibraries), targetDataDir, targetShareDir, targetPkgLibDir,
                Map.copyOf(targetExtensionUpdates));
        return new io.pgmigrate.facts.StandbyFacts(name, version, systemIdentifier, true, "/var/lib/postgresql/15/main",
                "/var/lib/postgresql/15/main/postgresql.conf", "/var/lib/postgresql/15/main/pg_hba.conf", "0/5000000",
                new io.pgmigrate.facts.StandbyFacts.Receiver("streaming", "db1.internal", 5432, null,
                        "user='replicator' host='db1.internal' port='5432' application_name='" + name + "'", name),
                new io.pgmigrate.facts.StandbyFacts.Sender(name, address, "streaming", syncState,
                        "async".equals(syncState) ? 0 : 1, 0),
                false, List.of(address, "127.0.0.1", "::1"), old, target, null, null,
                Map.of("hot_standby_feedback", "on", "port", "5432"));
    }

    /**
     * A healthy Patroni 3.0.2 cluster, scope {@code pgm}, as {@link Inventories#withPatroni} lists it: member {@code pg1}
     * on the source's host leads, one replica member per standby name (on {@code name.internal}, REST API
     * {@code name.internal:8008}), nothing paused or pending, an empty dynamic configuration.
     */
    public Facts withPatroni(String... standbyNames) {
        List<io.pgmigrate.facts.PatroniFacts.Member> members = new ArrayList<>();
        List<io.pgmigrate.facts.PatroniFacts.Endpoint> endpoints = new ArrayList<>();
        members.add(new io.pgmigrate.facts.PatroniFacts.Member("pg1", "leader", "running", "10.0.0.1", 5432,
                "http://10.0.0.1:8008/patroni", 1, null, false, true, null));
        endpoints.add(new io.pgmigrate.facts.PatroniFacts.Endpoint("db1.internal:8008", "pg1", "3.0.2", "leader",
                "running", version.major() * 10000 + version.minor(), systemIdentifier, 1, false, false));
        for (String n : standbyNames) {
            members.add(new io.pgmigrate.facts.PatroniFacts.Member(n, "replica", "running", n + ".internal", 5432,
                    "http://" + n + ".internal:8008/patroni", 1, 0L, false, false, n));
            endpoints.add(new io.pgmigrate.facts.PatroniFacts.Endpoint(n + ".internal:8008", n, "3.0.2", "replica",
                    "running", version.major() * 10000 + version.minor(), systemIdentifier, 1, false, false));
        }
        patroni = new io.pgmigrate.facts.PatroniFacts("pgm", endpoints, members, false, List.of(), null);
        return this;
    }

    /** Adds a streaming standby to both the source's pg_stat_replication and the standbys read. */
    public Facts withStandby(String name, String address, String syncState) {
        standbys.add(new StandbyFacts(name, address, "streaming", syncState));
        listedStandbys.add(listedStandby(name, address, syncState));
        return this;
    }
}
