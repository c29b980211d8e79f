package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.facts.SourceFacts.TablespaceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Space the new cluster needs on the file system of target.dataDir (and, for copies, of each tablespace):
 * copy: the whole source + 10 %; clone: the new catalogs, then copy-on-write blocks as data changes;
 * link and swap: the new catalogs. Always plus the new cluster's WAL.
 */
public final class DiskSpace implements PreCheck {
    public static final String ID = "disk-space";
    /** WAL the new cluster writes while pg_upgrade restores the schema: its default max_wal_size. */
    static final long WAL_MARGIN = Bytes.GIB;
    /** initdb's own catalogs (template0, template1, postgres). */
    static final long INITDB_BYTES = 64 * Bytes.MIB;

    @Override
    public String id() {
        return ID;
    }

    /** Space needed on one file system, with what it is for. */
    private record Need(HostFacts fs, List<String> uses, long bytes) {
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        UpgradeMode mode = mode(in);
        SourceFacts s = in.source();
        HostFacts target = in.target().dataDir();
        Map<String, Need> needs = new LinkedHashMap<>();
        long tablespaceBytes = s.tablespaces().stream().filter(t -> t.host() != null)
                .mapToLong(TablespaceFacts::sizeBytes).sum();
        long catalogs = s.databases().stream().mapToLong(DatabaseFacts::catalogSizeBytes).sum();
        long base = WAL_MARGIN + INITDB_BYTES;
        if (mode == UpgradeMode.COPY) {
            long data = Math.max(0, s.totalSizeBytes() - tablespaceBytes);
            add(needs, target, "target.dataDir " + target.path() + ": copy of " + Bytes.human(data)
                    + " + 10 % + WAL " + Bytes.human(WAL_MARGIN), data + data / 10 + base);
            for (TablespaceFacts t : s.tablespaces()) {
                if (t.host() != null) {
                    add(needs, t.host(), "tablespace " + t.name() + " " + t.location() + ": copy of "
                            + Bytes.human(t.sizeBytes()) + " + 10 %", t.sizeBytes() + t.sizeBytes() / 10);
                }
            }
        } else {
            add(needs, target, "target.dataDir " + target.path() + ": new catalogs (2 × " + Bytes.human(catalogs)
                    + ") + WAL " + Bytes.human(WAL_MARGIN), 2 * catalogs + base);
        }
        List<Finding> out = new ArrayList<>();
        for (Need n : needs.values()) {
            out.add(finding(mode, n, in.inventory().strategy() == Strategy.LOGICAL));
        }
        if (mode == UpgradeMode.CLONE) {
            out.add(Finding.warning(ID, "Cloned files consume space as data changes",
                    "With --clone both clusters share the data blocks (copy-on-write); every block either cluster "
                            + "writes afterwards takes new space, up to the whole source size ("
                            + Bytes.human(s.totalSizeBytes()) + ") while the old cluster is kept.",
                    List.of("file system of " + target.statPath() + ": " + Bytes.human(target.freeBytes()) + " free"),
                    "keep free space for the expected changes until the old cluster is deleted"));
        }
        return out;
    }

    private static UpgradeMode mode(CheckInput in) {
        if (in.inventory().strategy() == Strategy.LOGICAL || in.path().mode() == null) {
            return UpgradeMode.COPY; // green is filled with a full copy of the data
        }
        return in.path().mode();
    }

    private static void add(Map<String, Need> needs, HostFacts fs, String use, long bytes) {
        String key = fs.deviceId() == null ? fs.statPath() : fs.deviceId();
        Need n = needs.get(key);
        List<String> uses = new ArrayList<>(n == null ? List.of() : n.uses());
        uses.add(use);
        needs.put(key, new Need(n == null ? fs : n.fs(), uses, (n == null ? 0 : n.bytes()) + bytes));
    }

    /** @param logical blue/green: green gets a full copy, whatever options.mode says */
    private static Finding finding(UpgradeMode mode, Need n, boolean logical) {
        String where = "file system of " + n.fs().statPath() + " (" + n.fs().fileSystemType() + ")";
        String what = logical ? "green's full copy" : mode.flag();
        String need = (logical ? "green's full copy" : mode.key() + " mode") + " needs " + Bytes.human(n.bytes())
                + " on the " + where;
        String numbers = need + ", " + Bytes.human(n.fs().freeBytes()) + " are free";
        if (n.bytes() <= n.fs().freeBytes()) {
            // free space moves with every write on the host: a passing check leaves it out so that two plans
            // of an unchanged cluster stay identical
            return Finding.info(ID, "Enough disk space for " + what, need + ", and more than that is free: "
                    + String.join("; ", n.uses()));
        }
        String fix = "free at least " + Bytes.human(n.bytes() - n.fs().freeBytes()) + " on " + n.fs().statPath()
                + (logical ? ", or give green (target.dataDir) a file system with more space"
                : mode == UpgradeMode.COPY ? ", or use options.mode: link (or clone on a reflink file system), "
                + "which needs only the new catalogs" : ", or move target.dataDir to a file system with more space on "
                + "the same device as source.dataDir");
        return Finding.blocker(ID, "Not enough disk space for " + what + ": need " + Bytes.human(n.bytes())
                + ", " + Bytes.human(n.fs().freeBytes()) + " free", numbers + ".", n.uses(), fix);
    }
}
