package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.core.Bytes;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Cluster checks that also run for blue/green speak of green, not of pg_upgrade's modes. */
class LogicalWordingTest {
    @Test
    void diskSpaceIsForGreensFullCopy() {
        Facts f = Facts.healthy();
        f.targetDataDir = new HostFacts("/var/lib/postgresql/18/main", false, null, "2049", "ext2/ext3",
                2L * Bytes.GIB, true, null, "/var/lib/postgresql");
        Finding x = Run.check(new DiskSpace(), f, Inventories.logical()).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.title()).isEqualTo("Not enough disk space for green's full copy: need 3.1 GiB, 2 GiB free");
        assertThat(x.fix()).contains("give green (target.dataDir) a file system with more space")
                .doesNotContain("options.mode");
    }

    @Test
    void theInstallUserAndChecksumsAreAboutGreen() {
        Finding user = Run.check(new SuperuserCheck(), Facts.healthy(), Inventories.logical()).get(0);
        assertThat(user.title()).isEqualTo("Green is initialised with the install user postgres");
        assertThat(user.detail()).doesNotContain("pg_upgrade");
        Finding sums = Run.check(new DataChecksums(), Facts.healthy(), Inventories.logical()).get(0);
        assertThat(sums.title()).isEqualTo("Green gets blue's data-checksums setting (off)");
        assertThat(sums.detail()).contains("initdb --no-data-checksums").doesNotContain("pg_upgrade");
    }
}
