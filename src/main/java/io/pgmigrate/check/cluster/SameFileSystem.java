package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** --link, --swap and --clone work within one file system; --clone needs one that supports reflinks. */
public final class SameFileSystem implements PreCheck {
    public static final String ID = "same-file-system";
    /** File system types (as stat -f -c %T names them) known to support reflinks (FICLONE / clonefile). */
    static final Set<String> REFLINK = Set.of("btrfs", "xfs", "zfs", "apfs", "bcachefs");
    /** File system types that cannot clone files at all: pg_upgrade --clone is sure to fail there. */
    static final Set<String> NO_REFLINK = Set.of("ext2/ext3", "tmpfs", "overlayfs", "nfs", "vfat", "msdos", "fuseblk");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean appliesTo(UpgradePath path) {
        return path.mode() == UpgradeMode.LINK || path.mode() == UpgradeMode.SWAP || path.mode() == UpgradeMode.CLONE;
    }

    @Override
    public List<Finding> evaluate(CheckInput in) {
        if (in.inventory().strategy() != Strategy.PG_UPGRADE) {
            return List.of();
        }
        UpgradeMode mode = in.path().mode();
        HostFacts source = in.source().host();
        HostFacts target = in.target().dataDir();
        List<Finding> out = new ArrayList<>();
        if (!source.sameFileSystemAs(target)) {
            out.add(Finding.blocker(ID, "source.dataDir and target.dataDir are on different file systems",
                    mode.flag() + " hard-links, renames or clones files between the two data directories, which only "
                            + "works within one file system.",
                    List.of("source.dataDir " + source.path() + ": device " + source.deviceId() + " ("
                                    + source.fileSystemType() + ")",
                            "target.dataDir " + target.path() + describeStat(target) + ": device " + target.deviceId()
                                    + " (" + target.fileSystemType() + ")"),
                    "put target.dataDir on the file system of source.dataDir (e.g. a sibling directory of "
                            + source.path() + "), or set options.mode: copy"));
        }
        if (mode == UpgradeMode.CLONE && NO_REFLINK.contains(source.fileSystemType())) {
            out.add(Finding.blocker(ID, "options.mode clone on a " + source.fileSystemType()
                            + " file system, which cannot clone files",
                    "pg_upgrade --clone needs reflink support (btrfs, XFS with reflink=1, ZFS 2.2+, APFS); its"
                            + " --check and the upgrade itself fail on " + source.fileSystemType() + ".",
                    List.of("source.dataDir " + source.path() + ": " + source.fileSystemType()),
                    "set options.mode: link (or swap, or copy)"));
        } else if (mode == UpgradeMode.CLONE && !REFLINK.contains(source.fileSystemType())) {
            out.add(Finding.warning(ID, "options.mode clone on a " + source.fileSystemType()
                            + " file system, not known to support reflinks",
                    "pg_upgrade --clone needs reflink support (btrfs, XFS with reflink=1, ZFS 2.2+, APFS); on other "
                            + "file systems it fails.",
                    List.of("source.dataDir " + source.path() + ": " + source.fileSystemType()),
                    "set options.mode: link (or copy), unless this file system does support reflinks"));
        }
        return out;
    }

    private static String describeStat(HostFacts f) {
        return f.exists() || f.statPath() == null ? "" : " (not created yet; its parent " + f.statPath() + ")";
    }
}
