package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.inspect.RealClusters;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Each cluster check fired on a real PostgreSQL 15 source through the real Inspector and LocalShell, with
 * PostgreSQL 18 target binaries. One source cluster carries every problem; each test looks at one check
 * or gets one inventory key wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterChecksIT {
    private PgCluster pg;
    private PgCluster other;

    @BeforeAll
    void start() {
        pg = PgCluster.create(15, PgCluster.Init.defaults());
        pg.appendConfig(List.of("vacuum_defer_cleanup_age = 100", "shared_preload_libraries = 'adminpack'"));
        pg.startServer();
        pg.createDatabase("shop");
        pg.sql("postgres", "CREATE ROLE app LOGIN", "SELECT pg_create_physical_replication_slot('idle_standby', true)");
        pg.sql("shop", "CREATE EXTENSION adminpack", "CREATE TABLE t (id int)",
                "INSERT INTO t SELECT generate_series(1, 10000)",
                "BEGIN", "INSERT INTO t VALUES (0)", "PREPARE TRANSACTION 'it-pending'");
        other = PgCluster.create(15, PgCluster.Init.defaults());
    }

    @AfterAll
    void stop() {
        if (pg != null) {
            pg.sql("shop", "ROLLBACK PREPARED 'it-pending'");
            pg.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private RealClusters rc() {
        return new RealClusters(pg);
    }

    private static List<Finding> only(List<Finding> all, String check, Severity severity) {
        return RealClusters.of(all, check).stream().filter(f -> f.severity() == severity).toList();
    }

    @Test
    void correctInventoryMatchesTheServer() {
        assertThat(RealClusters.of(rc().findings(), InventoryMatchesServer.ID)).isEmpty();
    }

    @Test
    void dataDirOfAnotherCluster() {
        RealClusters rc = rc();
        rc.dataDir = other.dataDir();
        List<Finding> found = only(rc.findings(), InventoryMatchesServer.ID, Severity.BLOCKER);
        assertThat(found).extracting(Finding::title).containsExactly("source.dataDir is not the server's data directory",
                "source.dataDir belongs to another cluster than the server pgmigrate connects to");
        assertThat(found.get(0).fix()).isEqualTo("set source.dataDir: " + pg.dataDir());
    }

    @Test
    void dataDirThatIsNoDataDirectoryIsBadInput() {
        RealClusters rc = rc();
        rc.dataDir = pg.root();
        assertThatThrownBy(rc::inspect).isInstanceOfSatisfying(PgMigrateException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(e.getMessage()).isEqualTo("source.dataDir " + pg.root() + " on local is not a PostgreSQL data "
                    + "directory (no PG_VERSION or global/pg_control): set source.dataDir to the server's "
                    + "data_directory " + pg.dataDir()).doesNotContain("\n");
        });
    }

    @Test
    void dataDirUnreadableByTheCommandUserIsBadInput() {
        assumeThat(OsUser.isRoot()).isTrue();
        RealClusters rc = rc();
        rc.become = "nobody";
        assertThatThrownBy(rc::inspect).isInstanceOfSatisfying(PgMigrateException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(e.getMessage()).isEqualTo("source.dataDir " + pg.dataDir() + " on local (as nobody) is not "
                    + "readable by the user pgmigrate runs commands as: set source.become to the OS user that owns it "
                    + "(usually postgres)");
        });
    }

    @Test
    void sourceBinDirOfPostgres18() {
        RealClusters rc = rc();
        rc.binDir = Toolchain.binDir(18);
        assertThat(only(rc.findings(), InventoryMatchesServer.ID, Severity.BLOCKER)).extracting(Finding::title)
                .contains("source.binDir holds PostgreSQL 18 binaries, the server runs PostgreSQL 15");
    }

    @Test
    void binDirsWithoutProgramsAreBadInput() {
        RealClusters source = rc();
        source.binDir = pg.root();
        assertThatThrownBy(source::inspect).isInstanceOfSatisfying(PgMigrateException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(e.getMessage()).startsWith("source.binDir " + pg.root() + " on local has no runnable postgres");
        });
        RealClusters target = rc();
        target.targetBinDir = pg.root();
        assertThatThrownBy(target::inspect).isInstanceOfSatisfying(PgMigrateException.class, e ->
                assertThat(e.getMessage()).startsWith("target.binDir " + pg.root() + " on local has no runnable postgres"));
    }

    @Test
    void targetBinariesOfAnotherVersionAreBadInput() {
        RealClusters rc = rc();
        rc.targetBinDir = Toolchain.binDir(15);
        assertThatThrownBy(rc::inspect).isInstanceOfSatisfying(PgMigrateException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(e.getMessage()).contains("target.binDir: " + Toolchain.binDir(15) + " holds PostgreSQL 15 binaries",
                    "but target.version is 18").doesNotContain("\n");
        });
        RealClusters older = rc();
        older.targetVersion = 17;
        assertThatThrownBy(older::inspect).isInstanceOfSatisfying(PgMigrateException.class, e ->
                assertThat(e.getMessage()).contains("holds PostgreSQL 18 binaries", "but target.version is 17"));
    }

    @Test
    void preparedTransactionIsNamed() {
        Finding x = only(rc().findings(), PreparedTransactions.ID, Severity.BLOCKER).get(0);
        assertThat(x.objects()).singleElement().asString()
                .startsWith("prepared transaction 'it-pending' in database shop (owner postgres, prepared at ");
        assertThat(x.fix()).contains("shop: COMMIT PREPARED 'it-pending'; or ROLLBACK PREPARED 'it-pending';");
    }

    @Test
    void nonEmptyTargetDataDir() throws Exception {
        RealClusters rc = rc();
        Path dir = pg.root().resolve("leftover18");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("PG_VERSION"), "18\n");
        try {
            rc.targetDataDir = dir;
            Finding x = only(rc.findings(), TargetDataDir.ID, Severity.BLOCKER).get(0);
            assertThat(x.title()).isEqualTo("target.dataDir " + dir + " holds a PostgreSQL 18 cluster");
        } finally {
            PgCluster.deleteTree(dir);
        }
        assertThat(RealClusters.of(rc.findings(), TargetDataDir.ID)).isEmpty();
    }

    @Test
    void extensionRemovedInTheTargetAndItsLibraries() {
        List<Finding> all = rc().findings();
        Finding ext = only(all, ExtensionsOnTarget.ID, Severity.BLOCKER).get(0);
        assertThat(ext.title()).isEqualTo("Extension adminpack no longer exists in PostgreSQL 18");
        assertThat(ext.objects()).containsExactly("shop: adminpack 2.1 (schema pg_catalog)");
        assertThat(ext.fix()).contains("DROP EXTENSION adminpack;");
        assertThat(only(all, "loadable-libraries", Severity.BLOCKER).get(0).objects())
                .anySatisfy(o -> assertThat(o).contains("$libdir/adminpack"));
    }

    @Test
    void settingsRemovedInTheTargetAndMissingPreloadLibrary() {
        List<Finding> all = rc().findings();
        assertThat(only(all, SettingsCheck.ID, Severity.WARNING).get(0).objects()).containsExactly(
                "vacuum_defer_cleanup_age = 100 (removed in PostgreSQL 16; use hot_standby_feedback or a replication "
                        + "slot on the standby)");
        assertThat(only(all, SettingsCheck.ID, Severity.BLOCKER).get(0).objects())
                .containsExactly("shared_preload_libraries: adminpack");
    }

    @Test
    void nonSuperuserInventoryUser() {
        RealClusters rc = rc();
        rc.user = "app";
        List<Finding> all = rc.findings();
        Finding x = only(all, SuperuserCheck.ID, Severity.BLOCKER).get(0);
        assertThat(x.title()).isEqualTo("source.pg.user app is not a superuser");
        assertThat(x.fix()).isEqualTo("set source.pg.user: postgres (the install user), or ALTER ROLE app SUPERUSER");
        assertThat(only(all, SuperuserCheck.ID, Severity.INFO).get(0).title()).isEqualTo("pg_upgrade will run as postgres");
    }

    @Test
    void replicationSlotIsNotCarriedOverAndRetainsWal() {
        List<Finding> found = only(rc().findings(), Replication.ID, Severity.WARNING);
        assertThat(found).hasSize(2);
        assertThat(found.get(0).objects()).containsExactly("slot idle_standby (physical, inactive)");
        assertThat(found.get(1).objects()).singleElement().asString()
                .startsWith("slot idle_standby (physical, inactive): retains ");
    }

    @Test
    void checksumsOffIsReported() {
        assertThat(only(rc().findings(), DataChecksums.ID, Severity.INFO)).singleElement()
                .satisfies(x -> assertThat(x.detail()).contains("--no-data-checksums"));
    }

    @Test
    void linkToAnotherFileSystem() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeThat(Files.isDirectory(shm)).isTrue();
        RealClusters rc = rc();
        rc.mode = UpgradeMode.LINK;
        rc.targetDataDir = shm.resolve("pgm-it-absent").resolve("main");
        List<Finding> all = rc.findings();
        assumeThat(rc.inspect().target().dataDir().deviceId()).isNotEqualTo(rc.inspect().source().host().deviceId());
        Finding x = only(all, SameFileSystem.ID, Severity.BLOCKER).get(0);
        assertThat(x.objects().get(1)).startsWith("target.dataDir " + rc.targetDataDir
                + " (not created yet; its parent /dev/shm): device ");
    }

    @Test
    void notEnoughSpaceOnASmallFileSystem() throws Exception {
        Path mnt = Files.createTempDirectory(pg.root(), "small-");
        OsUser.Result mount = OsUser.run(List.of("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mnt.toString()),
                true);
        assumeThat(mount.exitCode()).as("mounting a tmpfs needs root: " + mount.output()).isZero();
        try {
            RealClusters rc = rc();
            rc.mode = UpgradeMode.LINK;
            rc.targetDataDir = mnt.resolve("main");
            Finding x = only(rc.findings(), DiskSpace.ID, Severity.BLOCKER).get(0);
            assertThat(x.title()).startsWith("Not enough disk space for --link: need 1.1 GiB, 64 MiB free");
        } finally {
            OsUser.run(List.of("umount", mnt.toString()), true);
        }
    }
}
