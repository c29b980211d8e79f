package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.GreenStandby;

import java.util.List;

/** The paths and argument lists of one of green's standbys (issue #15), on its host. */
public final class GreenStandbyCommands {
    private final Inventory inv;
    private final GreenStandby s;

    public GreenStandbyCommands(Inventory inv, GreenStandby standby) {
        this.inv = inv;
        this.s = standby;
    }

    /** The green standby of this name in the inventory, or null. */
    public static GreenStandby find(Inventory inv, String name) {
        return inv.target().standbys().stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }

    /** Its work directory on its host: beside its data directory, as green's is. */
    public String workDir() {
        return s.dataDir().getParent().resolve("pgmigrate-" + inv.name()).toString();
    }

    public String dataDir() {
        return s.dataDir().toString();
    }

    public String binDir() {
        return s.binDir().toString();
    }

    /**
     * pg_basebackup from green into its data directory, streaming the WAL it needs, a fast checkpoint on green; no
     * password on the command line (its host's ~/.pgpass), application_name its name.
     *
     * @param greenAddress green as the standby's host reaches it
     */
    public List<String> cloneFrom(String greenAddress) {
        return List.of(binDir() + "/pg_basebackup", "--pgdata=" + dataDir(), "--dbname=" + conninfo(greenAddress),
                "--wal-method=stream", "--checkpoint=fast", "--no-password", "--progress");
    }

    /** Its connection to green: no password (its host's ~/.pgpass gives it). */
    public String conninfo(String greenAddress) {
        java.util.Map<String, String> k = new java.util.LinkedHashMap<>();
        k.put("host", greenAddress);
        k.put("port", String.valueOf(inv.target().port()));
        k.put("user", s.replicationUser());
        k.put("application_name", s.name());
        return io.pgmigrate.pg.Conninfo.of(k);
    }

    public List<String> start() {
        return List.of(binDir() + "/pg_ctl", "start", "-D", dataDir(), "-w", "-t", "600", "-l",
                workDir() + "/postgresql-" + inv.target().version() + ".log");
    }

    public List<String> stop() {
        return List.of(binDir() + "/pg_ctl", "stop", "-D", dataDir(), "-m", "fast", "-w", "-t", "600");
    }
}
