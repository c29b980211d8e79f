package io.pgmigrate.execute;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** execute refuses tampered and stale plans before anything else; --dry-run changes nothing. */
class ExecuteDryRunIT {
    static PgCluster source;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        source = PgCluster.start(15);
        source.createDatabase("shop");
        source.sql("shop", "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric)",
                "INSERT INTO orders SELECT i, i * 1.5 FROM generate_series(1, 10000) i");
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    private Path plan(String name, Path inventory) {
        CliRun run = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        return dir.resolve(name + ".plan.json");
    }

    @Test
    void dryRunRunsThePreflightForRealAndChangesNothing() throws Exception {
        Path inventory = TestInventory.write(dir, "dry", source, TestInventory.localHost(), "link", PgCluster.freePort());
        Path plan = plan("dry", inventory);
        // settle hint bits and flush, so that what the dry run might write would show
        source.sql("shop", "VACUUM FREEZE", "CHECKPOINT");
        Map<String, String> before = snapshot(source.dataDir());
        String lsnBefore = walPosition();

        CliRun run = CliRun.of("execute", "--dry-run", "-i", inventory.toString(), plan.toString());
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("digest verified", "is the cluster the plan was made for",
                "runs: on source", "-> exit 0", "would run: on source", "pg_upgrade", "--link",
                "dry run passed", "nothing was changed");

        assertThat(walWrittenSince(lsnBefore)).as("WAL the dry run wrote (the server's own background records aside)")
                .isEmpty();
        source.sql("shop", "CHECKPOINT");
        Map<String, String> after = snapshot(source.dataDir());
        assertThat(after.keySet().stream().filter(k -> !after.get(k).equals(before.get(k))).toList())
                .as("files changed by the dry run").isEmpty();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(source.root().resolve("data18")).doesNotExist();
        assertThat(source.root().resolve("data18.pgmigrate-check")).doesNotExist();
        assertThat(source.root().resolve("pgmigrate-dry")).doesNotExist();
    }

    @Test
    void aTamperedPlanIsRefused() throws Exception {
        Path inventory = TestInventory.write(dir, "tamper", source, TestInventory.localHost(), "link", PgCluster.freePort());
        Path plan = plan("tamper", inventory);
        Files.writeString(plan, Files.readString(plan).replace("--jobs=2", "--jobs=16"));
        CliRun run = CliRun.of("execute", "--dry-run", "-i", inventory.toString(), plan.toString());
        assertThat(run.exitCode()).isEqualTo(6);
        assertThat(run.err().lines()).singleElement().asString().contains("changed after pgmigrate plan wrote it");
    }

    @Test
    void aStalePlanIsRefusedNamingWhatChanged() throws Exception {
        Path inventory = TestInventory.write(dir, "stale", source, TestInventory.localHost(), "link", PgCluster.freePort());
        Path plan = plan("stale", inventory);
        source.createDatabase("reports");
        try {
            CliRun run = CliRun.of("execute", "--dry-run", "-i", inventory.toString(), plan.toString());
            assertThat(run.exitCode()).isEqualTo(6);
            assertThat(run.err().lines()).singleElement().asString()
                    .contains("is stale", "database reports was created since the plan");
        } finally {
            source.sql("postgres", "DROP DATABASE reports");
        }
    }

    @Test
    void aSecondExecutionOfThePlanWaitsForTheFirst() throws Exception {
        Path inventory = TestInventory.write(dir, "locked", source, TestInventory.localHost(), "link", PgCluster.freePort());
        Path plan = plan("locked", inventory);
        io.pgmigrate.inventory.Inventory inv = io.pgmigrate.inventory.InventoryLoader.load(inventory);
        try (io.pgmigrate.transport.HostShell sh = io.pgmigrate.transport.Transports.shell(inv.source().host(),
                io.pgmigrate.transport.TransportOptions.defaults());
             HostLock held = HostLock.acquire(sh, io.pgmigrate.planner.inplace.UpgradeCommands.workDir(inv),
                     new HostLock.Holder("other-controller", "dba", 4242, "sha256:feed", java.time.Instant.now()),
                     false, new java.io.PrintWriter(java.io.Writer.nullWriter()))) {
            CliRun run = CliRun.of("execute", "-i", inventory.toString(), plan.toString());
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("being executed right now from other-controller by dba (pid 4242");
            assertThat(dir.resolve("locked.journal.jsonl")).as("nothing was run").doesNotExist();
            CliRun dry = CliRun.of("execute", "--dry-run", "-i", inventory.toString(), plan.toString());
            assertThat(dry.exitCode()).as("a dry run changes nothing and needs no lock: " + dry.err()).isZero();
        }
    }

    private static String walPosition() {
        try (var s = source.connect("postgres")) {
            return s.query("SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn").get(0).get("lsn");
        }
    }

    /**
     * The WAL records written since a position, as pg_waldump lists them, without those the server writes
     * on its own while idle (the bgwriter's standby snapshots, RUNNING_XACTS).
     */
    private static List<String> walWrittenSince(String lsn) {
        String now = walPosition();
        if (now.equals(lsn)) {
            return List.of();
        }
        OsUser.Result r = OsUser.runAsOwner(List.of(Toolchain.binDir(15).resolve("pg_waldump").toString(),
                "--path=" + source.dataDir().resolve("pg_wal"), "--start=" + lsn, "--end=" + now), true);
        return r.output().lines().filter(l -> l.startsWith("rmgr:"))
                .filter(l -> !l.contains("desc: RUNNING_XACTS")).toList();
    }

    /**
     * SHA-256 of every relation and configuration file of a data directory. Left out: what the running
     * server or any connection rewrites (pid file, relcache init files, statistics), and pg_control and
     * pg_wal, which the test's own CHECKPOINT changes; the unchanged WAL position covers those.
     */
    static Map<String, String> snapshot(Path dataDir) throws IOException {
        Set<String> volatileNames = Set.of("postmaster.pid", "pg_internal.init", "postmaster.opts");
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = dataDir.relativize(f).toString();
                if (volatileNames.contains(f.getFileName().toString()) || rel.startsWith("pg_stat_tmp")
                        || rel.startsWith("pg_wal") || rel.equals("global/pg_control")) {
                    continue;
                }
                out.put(rel, sha256(f));
            }
        }
        return out;
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
