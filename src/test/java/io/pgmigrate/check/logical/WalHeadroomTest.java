package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.core.Bytes;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WalHeadroomTest {
    /** pg_wal on a file system of its own (not green's), with this much free. */
    private static Facts walDisk(long free) {
        Facts f = Facts.healthy();
        f.walDir = new HostFacts("/data/15/main/pg_wal/", true, null, "77", "xfs", free, false, "/wal/15",
                "/data/15/main/pg_wal/");
        return f;
    }

    @Test
    void enoughSpaceIsANoteWithoutNumbersThatMoveBetweenPlans() {
        Finding x = Logical.one(new WalHeadroom(), walDisk(100 * Bytes.GIB)
                .probe(WalHeadroom.RATE_PROBE, "postgres", "wal_bytes", "86400000000", "seconds", "86400"));
        assertThat(x.severity()).isEqualTo(Severity.INFO);
        assertThat(x.title()).isEqualTo("Enough free space for blue's WAL during the catch-up");
        assertThat(x.detail()).doesNotContain("iB", "/s");
    }

    @Test
    void walRateTimesCopyTimeDoubledAgainstFreeSpace() {
        // 1.9 GiB of data at 50 MiB/s: 38 s of copy; 10 MiB/s of WAL doubled: 760 MiB, at least 1 GiB
        Facts f = walDisk(512 * Bytes.MIB).probe(WalHeadroom.RATE_PROBE, "postgres",
                "wal_bytes", String.valueOf(10 * Bytes.MIB * 1000), "seconds", "1000");
        Finding x = Logical.one(new WalHeadroom(), f);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.title()).isEqualTo("Blue's WAL may fill its disk during the catch-up: about 1 GiB needed,"
                + " 512 MiB free");
        assertThat(x.objects()).singleElement().asString().contains("blue writes 10 MiB/s on average",
                "about 38 s", "at 50 MiB/s");
        assertThat(x.fix()).startsWith("free at least 512 MiB on /data/15/main/pg_wal/");
    }

    @Test
    void withoutARateAQuarterOfTheDataSize() {
        Facts f = walDisk(Bytes.GIB);
        f.databases.add(Facts.db("big", 40 * Bytes.GIB, 10));
        Finding x = Logical.one(new WalHeadroom(), f);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.objects()).singleElement().asString().contains("no WAL rate known: a quarter of the data size");
    }

    @Test
    void greenOnTheSameFileSystemAddsItsCopy() {
        Facts f = Facts.healthy(); // pg_wal and target.dataDir share device 2049
        f.walDir = new HostFacts("/var/lib/postgresql/15/main/pg_wal/", true, null, "2049", "ext2/ext3",
                2 * Bytes.GIB, false, null, "/var/lib/postgresql/15/main/pg_wal/");
        Finding x = Logical.one(new WalHeadroom(), f);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.objects()).hasSize(2).last().asString().startsWith("green's copy of the data on the same file"
                + " system (target.dataDir /var/lib/postgresql/18/main)");
    }

    @Test
    void withoutFactsOfTheWalDirectoryNothingIsSaid() {
        Facts f = Facts.healthy();
        f.walDir = null;
        assertThat(Logical.run(new WalHeadroom(), f)).isEmpty();
    }
}
