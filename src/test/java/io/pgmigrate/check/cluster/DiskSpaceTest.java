package io.pgmigrate.check.cluster;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.SourceFacts.TablespaceFacts;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiskSpaceTest {
    private static Facts withFree(long free) {
        Facts f = Facts.healthy();
        f.targetDataDir = new HostFacts("/var/lib/postgresql/18/main", false, null, "2049", "ext2/ext3", free, true,
                null, "/var/lib/postgresql");
        return f;
    }

    @Test
    void copyNeedsTheWholeSourcePlusTenPercent() {
        // source: 8 MB + 2 GB; copy needs 2.008 GB × 1.1 + 1 GiB WAL + 64 MiB initdb ≈ 3.1 GiB
        Facts f = withFree(2L * Bytes.GIB);
        Finding x = Run.check(new DiskSpace(), f, UpgradeMode.COPY).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.title()).isEqualTo("Not enough disk space for --copy: need 3.1 GiB, 2 GiB free");
        assertThat(x.detail()).contains("file system of /var/lib/postgresql (ext2/ext3)");
        assertThat(x.objects()).singleElement().asString().contains("copy of 1.9 GiB + 10 %");
        assertThat(x.fix()).startsWith("free at least 1.1 GiB on /var/lib/postgresql").contains("options.mode: link");
        assertThat(Run.check(new DiskSpace(), withFree(4L * Bytes.GIB), UpgradeMode.COPY))
                .singleElement().extracting(Finding::severity).isEqualTo(Severity.INFO);
    }

    @Test
    void aPassingCheckReadsTheSameWhateverTheFreeSpaceSoPlansStayIdentical() {
        Finding some = Run.check(new DiskSpace(), withFree(40L * Bytes.GIB), UpgradeMode.SWAP).get(0);
        Finding more = Run.check(new DiskSpace(), withFree(41L * Bytes.GIB), UpgradeMode.SWAP).get(0);
        assertThat(some.severity()).isEqualTo(Severity.INFO);
        assertThat(some).isEqualTo(more);
        assertThat(some.detail()).contains("swap mode needs", "more than that is free").doesNotContain("40 GiB");
    }

    @Test
    void linkAndSwapNeedCatalogsAndWalOnly() {
        // catalogs 2 × 16 MB + 1 GiB + 64 MiB
        for (UpgradeMode m : List.of(UpgradeMode.LINK, UpgradeMode.SWAP)) {
            assertThat(Run.check(new DiskSpace(), withFree(2L * Bytes.GIB), m))
                    .singleElement().extracting(Finding::severity).isEqualTo(Severity.INFO);
            Finding x = Run.check(new DiskSpace(), withFree(500 * Bytes.MIB), m).get(0);
            assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(x.title()).isEqualTo("Not enough disk space for " + m.flag() + ": need 1.1 GiB, 500 MiB free");
        }
    }

    @Test
    void cloneWarnsThatChangedBlocksTakeSpace() {
        List<Finding> found = Run.check(new DiskSpace(), withFree(100L * Bytes.GIB), UpgradeMode.CLONE);
        assertThat(Run.of(found, Severity.WARNING)).singleElement()
                .satisfies(x -> assertThat(x.detail()).contains("copy-on-write", "1.9 GiB"));
    }

    @Test
    void copyCountsTablespacesOnTheirOwnFileSystem() {
        Facts f = withFree(100L * Bytes.GIB);
        f.tablespaces.add(new TablespaceFacts("fast", "/ssd/ts", 1_900_000_000L,
                new HostFacts("/ssd/ts", true, null, "2100", "xfs", Bytes.GIB, false, "/ssd/ts", "/ssd/ts")));
        List<Finding> found = Run.check(new DiskSpace(), f, UpgradeMode.COPY);
        Finding x = Run.of(found, Severity.BLOCKER).get(0);
        assertThat(x.objects()).singleElement().asString().startsWith("tablespace fast /ssd/ts: copy of 1.8 GiB");
        assertThat(Run.of(found, Severity.INFO)).hasSize(1);
    }
}
