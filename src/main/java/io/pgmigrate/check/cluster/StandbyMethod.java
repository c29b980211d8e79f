package io.pgmigrate.check.cluster;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.StandbyFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.Standby;
import io.pgmigrate.inventory.Inventory.UpgradeMode;

/**
 * How a standby comes to the new version (issue #15), and why: PostgreSQL's documented rsync recipe where its
 * conditions hold (link mode, the same paths on both hosts, old and new data directory on one file system there,
 * SSH from the primary's host, no tablespaces or WAL directory outside the data directory), else a new copy of the
 * upgraded primary made with pg_basebackup. Pure: the planner and the checks decide alike.
 */
public record StandbyMethod(Kind kind, String why) {
    public enum Kind {
        /** rsync --archive --delete --hard-links --size-only from the primary before the new cluster starts. */
        RSYNC,
        /** pg_basebackup from the upgraded primary once it serves. */
        CLONE
    }

    public static StandbyMethod of(Inventory inv, ClusterFacts facts, Standby s) {
        String clone = "re-created with pg_basebackup from the upgraded primary";
        if (inv.options().mode() != UpgradeMode.LINK) {
            return new StandbyMethod(Kind.CLONE, clone + ": PostgreSQL documents the rsync recipe for link mode only,"
                    + " and this plan uses " + inv.options().mode().key() + " mode");
        }
        if (!s.dataDir().equals(inv.source().dataDir()) || !s.targetDataDir().equals(inv.target().dataDir())) {
            return new StandbyMethod(Kind.CLONE, clone + ": the rsync recipe needs the standby's old and new data"
                    + " directories at the primary's paths (" + inv.source().dataDir() + ", " + inv.target().dataDir()
                    + ")");
        }
        SourceFacts src = facts.source();
        if (src.tablespaces().stream().anyMatch(t -> t.host() != null)) {
            return new StandbyMethod(Kind.CLONE, clone + ": the source has tablespaces outside its data directory,"
                    + " which pgmigrate does not rsync");
        }
        if (walRelocated(src)) {
            return new StandbyMethod(Kind.CLONE, clone + ": the source's pg_wal lies outside its data directory,"
                    + " which pgmigrate does not rsync");
        }
        StandbyFacts f = facts.standby(s.name()).orElse(null);
        if (f == null) {
            return new StandbyMethod(Kind.CLONE, clone + ": the standby was not read");
        }
        if (f.rsyncProblem() != null) {
            return new StandbyMethod(Kind.CLONE, clone + ": rsync from the primary's host cannot reach it ("
                    + f.rsyncProblem() + ")");
        }
        if (f.oldDataDir() == null || !f.oldDataDir().sameFileSystemAs(f.target().dataDir())) {
            return new StandbyMethod(Kind.CLONE, clone + ": its old and new data directories lie on different file"
                    + " systems there, so rsync cannot hard-link them");
        }
        return new StandbyMethod(Kind.RSYNC, "brought forward with rsync --hard-links from the primary before the new"
                + " cluster starts (PostgreSQL's recipe for link mode): only files pg_upgrade did not link travel");
    }

    private static boolean walRelocated(SourceFacts src) {
        return src.walDir() != null && src.walDir().realPath() != null && src.dataDirectoryRealPath() != null
                && !src.walDir().realPath().equals(src.dataDirectoryRealPath() + "/pg_wal");
    }
}
