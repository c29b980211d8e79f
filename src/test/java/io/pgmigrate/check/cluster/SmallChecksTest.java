package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.SourceFacts.PreparedTransactionFacts;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** superuser, prepared-transactions, data-checksums, swap-mode, same-file-system, target-data-dir. */
class SmallChecksTest {
    @Test
    void nonSuperuserIsABlockerAndTheInstallUserIsNamed() {
        Facts f = Facts.healthy();
        f.connectedUser = "app";
        f.superuser = false;
        List<Finding> found = Run.check(new SuperuserCheck(), f, Run.withUser(Inventories.sample(), "app"));
        Finding b = Run.of(found, Severity.BLOCKER).get(0);
        assertThat(b.title()).isEqualTo("source.pg.user app is not a superuser");
        assertThat(b.objects()).containsExactly("role app");
        assertThat(b.fix()).isEqualTo("set source.pg.user: postgres (the install user), or ALTER ROLE app SUPERUSER");
        Finding i = Run.of(found, Severity.INFO).get(0);
        assertThat(i.title()).isEqualTo("pg_upgrade will run as postgres");
        assertThat(i.detail()).contains("pg_upgrade -U postgres", "pg_hba.conf");
    }

    @Test
    void superuserOnlyReportsTheName() {
        List<Finding> found = Run.check(new SuperuserCheck(), Facts.healthy());
        assertThat(found).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.INFO);
            assertThat(x.detail()).contains("initdb -U postgres").doesNotContain("pg_hba.conf");
        });
    }

    @Test
    void preparedTransactionsNameGidDatabaseOwnerAndFix() {
        Facts f = Facts.healthy();
        assertThat(Run.check(new PreparedTransactions(), f)).isEmpty();
        f.prepared.add(new PreparedTransactionFacts("tx'1", "shop", "app", "2025-01-02 03:04:05+00"));
        Finding x = Run.check(new PreparedTransactions(), f).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly(
                "prepared transaction 'tx''1' in database shop (owner app, prepared at 2025-01-02 03:04:05+00)");
        assertThat(x.fix()).contains("shop: COMMIT PREPARED 'tx''1'; or ROLLBACK PREPARED 'tx''1';");
    }

    @Test
    void dataChecksumsOffSaysInitdbMatchesAndHowToEnableLater() {
        Finding x = Run.check(new DataChecksums(), Facts.healthy()).get(0);
        assertThat(x.severity()).isEqualTo(Severity.INFO);
        assertThat(x.title()).contains("off");
        assertThat(x.detail()).contains("--no-data-checksums", "pg_checksums --enable");
        Facts on = Facts.healthy();
        on.dataChecksums = true;
        assertThat(Run.check(new DataChecksums(), on).get(0).detail()).contains("initdb --data-checksums");
    }

    @Test
    void swapNeedsTarget18AndSource10() {
        assertThat(Run.check(new SwapMode(), Facts.healthy())).isEmpty();
        Facts f = Facts.healthy();
        Finding x = Run.check(new SwapMode(), f, Run.withTargetVersion(Inventories.sample(), 17)).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.fix()).isEqualTo("set options.mode: link");
        Facts old = Facts.healthy();
        old.version = PgVersion.parse("9.6.24");
        assertThat(Run.check(new SwapMode(), old).get(0).title())
                .isEqualTo("options.mode swap cannot upgrade from PostgreSQL 9.6");
        assertThat(Run.check(new SwapMode(), old, UpgradeMode.LINK)).isEmpty();
    }

    @Test
    void linkAcrossFileSystemsIsABlocker() {
        Facts f = Facts.healthy();
        f.targetDataDir = new HostFacts("/data18/main", false, null, "2050", "xfs", 1L << 40, true, null, "/data18");
        Finding x = Run.check(new SameFileSystem(), f, UpgradeMode.LINK).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly("source.dataDir /var/lib/postgresql/15/main: device 2049 (ext2/ext3)",
                "target.dataDir /data18/main (not created yet; its parent /data18): device 2050 (xfs)");
        assertThat(Run.check(new SameFileSystem(), f, UpgradeMode.COPY)).isEmpty();
        assertThat(Run.check(new SameFileSystem(), Facts.healthy(), UpgradeMode.SWAP)).isEmpty();
    }

    @Test
    void cloneIsBlockedWhereFilesCannotBeClonedAndWarnsWhereItIsUnknown() {
        Finding x = Run.check(new SameFileSystem(), Facts.healthy(), UpgradeMode.CLONE).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.title()).contains("ext2/ext3", "cannot clone files");
        Facts f2fs = Facts.healthy();
        f2fs.sourceHost = new HostFacts("/var/lib/postgresql/15/main", true, "15", "2049", "f2fs", 1L << 40, false,
                "/var/lib/postgresql/15/main", "/var/lib/postgresql/15/main");
        f2fs.targetDataDir = new HostFacts("/var/lib/postgresql/18/main", false, null, "2049", "f2fs", 1L << 40, true,
                null, "/var/lib/postgresql/18");
        Finding unknown = Run.check(new SameFileSystem(), f2fs, UpgradeMode.CLONE).get(0);
        assertThat(unknown.severity()).isEqualTo(Severity.WARNING);
        assertThat(unknown.title()).contains("f2fs", "not known to support reflinks");
        Facts xfs = Facts.healthy();
        xfs.sourceHost = new HostFacts("/var/lib/postgresql/15/main", true, "15", "2049", "xfs", 1L << 40, false,
                "/var/lib/postgresql/15/main", "/var/lib/postgresql/15/main");
        assertThat(Run.check(new SameFileSystem(), xfs, UpgradeMode.CLONE)).isEmpty();
    }

    @Test
    void targetDataDirMustBeMissingOrEmpty() {
        assertThat(Run.check(new TargetDataDir(), Facts.healthy())).isEmpty();
        Facts empty = Facts.healthy();
        empty.targetDataDir = new HostFacts("/var/lib/postgresql/18/main", true, null, "2049", "ext2/ext3", 1L << 40,
                true, "/var/lib/postgresql/18/main", "/var/lib/postgresql/18/main");
        assertThat(Run.check(new TargetDataDir(), empty)).isEmpty();
        Facts used = Facts.healthy();
        used.targetDataDir = new HostFacts("/var/lib/postgresql/18/main", true, "18", "2049", "ext2/ext3", 1L << 40,
                false, "/var/lib/postgresql/18/main", "/var/lib/postgresql/18/main");
        Finding x = Run.check(new TargetDataDir(), used).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.title()).isEqualTo("target.dataDir /var/lib/postgresql/18/main holds a PostgreSQL 18 cluster");
        assertThat(x.objects()).containsExactly("target.dataDir: /var/lib/postgresql/18/main (PG_VERSION 18)");
        Facts same = Facts.healthy();
        same.targetDataDir = same.sourceHost;
        assertThat(Run.check(new TargetDataDir(), same).get(0).title())
                .isEqualTo("target.dataDir is the source's data directory");
    }
}
