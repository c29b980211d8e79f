package io.pgmigrate.planner.inplace;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.Standby;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument lists and paths of one standby (issue #15), shared by the planner and the executor's way back: its
 * work directory beside its new data directory, the hard-link copy kept of its old one while rsync runs, pg_ctl with
 * its old and new binaries, rsync from the primary's host, pg_basebackup from its own.
 */
public final class StandbyCommands {
    private final Inventory inv;
    private final Standby s;

    public StandbyCommands(Inventory inv, Standby standby) {
        this.inv = inv;
        this.s = standby;
    }

    public Standby standby() {
        return s;
    }

    /** Its work directory on its host: beside its new data directory, as the primary's is. */
    public String workDir() {
        return s.targetDataDir().getParent().resolve("pgmigrate-" + inv.name()).toString();
    }

    public String oldData() {
        return s.dataDir().toString();
    }

    public String newData() {
        return s.targetDataDir().toString();
    }

    public String oldBin() {
        return s.binDir().toString();
    }

    public String newBin() {
        return s.targetBinDir().toString();
    }

    /** The hard-link copy of its old data directory, kept while rsync changes the original (a way back). */
    public String keptData() {
        return oldData() + ".pgmigrate-kept";
    }

    public String newServerLog() {
        return workDir() + "/postgresql-" + inv.target().version() + ".log";
    }

    public List<String> stopOld() {
        return List.of(oldBin() + "/pg_ctl", "stop", "-D", oldData(), "-m", "fast", "-w", "-t", "600");
    }

    public List<String> startOld() {
        return List.of(oldBin() + "/pg_ctl", "start", "-D", oldData(), "-w", "-t", "600", "-l",
                workDir() + "/postgresql-old.log");
    }

    public List<String> startNew() {
        return List.of(newBin() + "/pg_ctl", "start", "-D", newData(), "-w", "-t", "600", "-l", newServerLog());
    }

    public List<String> stopNew() {
        return List.of(newBin() + "/pg_ctl", "stop", "-D", newData(), "-m", "fast", "-w", "-t", "600");
    }

    /** A copy of the old data directory made of hard links: metadata only, whatever its size. */
    List<String> keep() {
        return List.of("cp", "-al", "--", oldData(), keptData());
    }

    /**
     * PostgreSQL's recipe, run on the primary's host: both data directories, relative to the directory above them
     * ({@code --relative} with {@code /./}), to the same place on the standby's host, over SSH as the owner of its
     * data directory, never asking (BatchMode).
     */
    List<String> rsync(Inventory.SourceCluster source) {
        Path old = source.dataDir();
        Path neu = inv.target().dataDir();
        Path parent = common(old, neu);
        List<String> argv = new ArrayList<>(List.of("rsync", "--archive", "--delete", "--hard-links", "--size-only",
                "--no-inc-recursive", "--relative", "--rsh=ssh -o BatchMode=yes -o ConnectTimeout=30"));
        String above = parent.getParent() == null ? "" : parent.toString();
        // the old cluster's WAL is of no use to the standby's new cluster, and its old one is kept aside (keptData):
        // most of what rsync would send otherwise
        argv.add("--exclude=/" + parent.relativize(old) + "/pg_wal/*");
        argv.add(above + "/./" + parent.relativize(old));
        argv.add(above + "/./" + parent.relativize(neu));
        argv.add(s.dataOwnerAtHost() + ":" + above + "/");
        return List.copyOf(argv);
    }

    /** pg_basebackup of the upgraded primary on the standby's host, with its WAL receiver's connection settings. */
    List<String> cloneFrom(String conninfo) {
        return List.of(newBin() + "/pg_basebackup", "--pgdata=" + newData(), "--dbname=" + conninfo,
                "--wal-method=stream", "--checkpoint=fast", "--no-password");
    }

    private static Path common(Path a, Path b) {
        Path p = a.getParent();
        while (p != null && !b.startsWith(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("/") : p;
    }
}
