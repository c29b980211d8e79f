package io.pgmigrate.planner.inplace;

import io.pgmigrate.core.SessionSettings;
import io.pgmigrate.planner.InitdbOptions;

import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.ServiceControl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact programs the in-place upgrade runs on the database host, as argument lists: the
 * inventory's paths and the inspected facts put together, nothing else. The planner writes them into
 * plans; the executor uses the same ones to roll back.
 */
public final class UpgradeCommands {
    private final Inventory inv;
    private final SourceFacts source;
    private final String oldBin;
    private final String newBin;
    private final String oldData;
    private final String newData;
    private final String workDir;
    private final String superuser;
    private final String port;
    private final String socketDir;

    public UpgradeCommands(Inventory inv, SourceFacts source) {
        this.inv = inv;
        this.source = source;
        this.oldBin = inv.source().binDir().toString();
        this.newBin = inv.target().binDir().toString();
        this.oldData = inv.source().dataDir().toString();
        this.newData = inv.target().dataDir().toString();
        this.workDir = workDir(inv);
        this.superuser = source.bootstrapSuperuser();
        this.port = source.settings().getOrDefault("port", String.valueOf(inv.source().pg().port()));
        String sockets = source.settings().getOrDefault("unix_socket_directories", "/tmp");
        String first = sockets.split(",")[0].trim();
        this.socketDir = first.isEmpty() ? "/tmp" : first;
    }

    public String workDir() {
        return workDir;
    }

    /**
     * The plan's work directory on the database host: beside the new data directory (the inventory refuses a
     * target.dataDir without a parent), never in a shared temporary directory.
     */
    public static String workDir(Inventory inv) {
        return inv.target().dataDir().getParent().resolve("pgmigrate-" + inv.name()).toString();
    }

    /** The empty cluster pg_upgrade --check runs against in the pre-flight. */
    public String scratchDir() {
        return newData + ".pgmigrate-check";
    }

    public String newData() {
        return newData;
    }

    public String port() {
        return port;
    }

    public List<String> removeTree(String dir) {
        return List.of("rm", "-rf", "--", dir);
    }

    List<String> initdb(String dataDir) {
        return InitdbOptions.argv(newBin, dataDir, source, inv.target().version());
    }

    List<String> copyFile(String from, String to) {
        return List.of("cp", "--", from, to);
    }

    /** pg_upgrade with the plan's mode; {@code check} runs it as {@code --check} against a scratch cluster while the old one runs. */
    List<String> pgUpgrade(boolean check, String newDataDir) {
        List<String> argv = new ArrayList<>(List.of(newBin + "/pg_upgrade",
                "--old-datadir=" + oldData, "--new-datadir=" + newDataDir,
                "--old-bindir=" + oldBin, "--new-bindir=" + newBin,
                "--old-port=" + port, "--new-port=" + inv.target().port(),
                "--username=" + superuser, "--socketdir=" + workDir,
                "--jobs=" + inv.options().jobs(), inv.options().mode().flag()));
        if (inv.source().configFile() != null) {
            argv.add("--old-options=-c config_file=" + inv.source().configFile());
        }
        if (check) {
            argv.add("--check");
        }
        return List.copyOf(argv);
    }

    List<String> stopOld() {
        ServiceControl svc = inv.source().service();
        return switch (svc.kind()) {
            case PG_CTL -> List.of(oldBin + "/pg_ctl", "stop", "-D", oldData, "-m", "fast", "-w", "-t", "600");
            case PG_CTLCLUSTER -> List.of("pg_ctlcluster", debianVersion(), debianCluster(), "stop", "-m", "fast");
            case SYSTEMD -> List.of("systemctl", "stop", svc.unit());
        };
    }

    public List<String> startOld() {
        ServiceControl svc = inv.source().service();
        return switch (svc.kind()) {
            case PG_CTL -> List.of(oldBin + "/pg_ctl", "start", "-D", oldConfigDir(), "-w", "-t", "600",
                    "-l", workDir + "/postgresql-old.log");
            case PG_CTLCLUSTER -> List.of("pg_ctlcluster", debianVersion(), debianCluster(), "start");
            case SYSTEMD -> List.of("systemctl", "start", svc.unit());
        };
    }

    /** Where pg_upgrade writes its logs for a new data directory (kept there when it fails). */
    io.pgmigrate.plan.Action.Logs upgradeLogs(String newDataDir) {
        return new io.pgmigrate.plan.Action.Logs(newDataDir + "/pg_upgrade_output.d", "*.log");
    }

    /** The server log the new cluster's pg_ctl start writes. */
    io.pgmigrate.plan.Action.Logs newServerLog() {
        return new io.pgmigrate.plan.Action.Logs(workDir, "postgresql-" + inv.target().version() + ".log");
    }

    /** The new cluster started; in the Debian layout through its configuration directory (config_file there). */
    public List<String> startNew() {
        return List.of(newBin + "/pg_ctl", "start", "-D", debianTarget() ? newConfigDir() : newData, "-w", "-t", "600",
                "-l", workDir + "/postgresql-" + inv.target().version() + ".log");
    }

    public List<String> controlData(String dataDir, String binDir) {
        return List.of("env", "LC_ALL=C", binDir + "/pg_controldata", "-D", dataDir);
    }

    public String oldBinDir() {
        return oldBin;
    }

    public String newBinDir() {
        return newBin;
    }

    /** vacuumdb over the new cluster's socket, its sessions' SQL settings pinned ({@link SessionSettings}). */
    io.pgmigrate.plan.Action.RunCommand vacuumdb(boolean missingOnly) {
        List<String> argv = new ArrayList<>(List.of(newBin + "/vacuumdb", "--all"));
        if (missingOnly) {
            argv.addAll(List.of("--analyze-in-stages", "--missing-stats-only"));
        } else {
            argv.add("--analyze-only");
        }
        argv.addAll(List.of("--jobs=" + inv.options().jobs(), "--host=" + socketDir, "--port=" + port,
                "--username=" + superuser));
        return new io.pgmigrate.plan.Action.RunCommand(argv, SessionSettings.psqlEnvironment(), null, null, null);
    }

    /** vacuumdb --analyze-in-stages of every table (a target before 18, which keeps no statistics). */
    io.pgmigrate.plan.Action.RunCommand vacuumdbInStages() {
        return new io.pgmigrate.plan.Action.RunCommand(List.of(newBin + "/vacuumdb", "--all", "--analyze-in-stages",
                "--jobs=" + inv.options().jobs(), "--host=" + socketDir, "--port=" + port, "--username=" + superuser),
                SessionSettings.psqlEnvironment(), null, null, null);
    }

    /** psql running pg_upgrade's update_extensions.sql, only when pg_upgrade wrote it. */
    io.pgmigrate.plan.Action.RunCommand updateExtensions() {
        String file = workDir + "/update_extensions.sql";
        return new io.pgmigrate.plan.Action.RunCommand(List.of(newBin + "/psql", "--no-psqlrc", "--set=ON_ERROR_STOP=1",
                "--host=" + socketDir, "--port=" + port, "--username=" + superuser, "--dbname=postgres",
                "--file=" + file), SessionSettings.psqlEnvironment(), file, null, null);
    }

    /** Stops the new cluster (rollback before the point of no return). */
    public List<String> stopNew() {
        return List.of(newBin + "/pg_ctl", "stop", "-D", newData, "-m", "fast", "-w", "-t", "600");
    }

    /** The old data directory, where --link leaves global/pg_control.old until the new cluster starts. */
    public String oldData() {
        return oldData;
    }

    List<String> deleteOldCluster() {
        return List.of(workDir + "/delete_old_cluster.sh");
    }

    /** Where pg_ctl finds postgresql.conf: the data directory, or the config file's directory (Debian layout). */
    private String oldConfigDir() {
        Path cf = inv.source().configFile();
        return cf == null || cf.getParent() == null ? oldData : cf.getParent().toString();
    }

    /** Debian names a cluster by version and name: /etc/postgresql/15/main → 15 main. */
    private String debianVersion() {
        return String.valueOf(source.version().major());
    }

    /** The name of its configuration directory (/etc/postgresql/15/main), else of its data directory. */
    String debianCluster() {
        Path cf = inv.source().configFile();
        return (cf != null && cf.getParent() != null ? cf.getParent() : inv.source().dataDir()).getFileName().toString();
    }

    /**
     * The upgrade of a Debian cluster (service pg_ctlcluster) makes a Debian cluster of the new version under the same
     * name: its configuration in {@link #newConfigDir()}, as postgresql-common lays it out.
     */
    public boolean debianTarget() {
        return inv.source().service().kind() == ServiceControl.Kind.PG_CTLCLUSTER;
    }

    /** Where postgresql-common keeps clusters' configuration: /etc/postgresql (above the old one's version). */
    String debianRoot() {
        Path cf = inv.source().configFile();
        Path root = cf == null || cf.getParent() == null || cf.getParent().getParent() == null ? null
                : cf.getParent().getParent().getParent();
        return root == null ? "/etc/postgresql" : root.toString();
    }

    /** The old cluster's configuration directory (Debian: /etc/postgresql/15/main), or null without a configFile. */
    public String oldConfigDirOrNull() {
        Path cf = inv.source().configFile();
        return cf == null || cf.getParent() == null ? null : cf.getParent().toString();
    }

    /** The new Debian cluster's configuration directory, /etc/postgresql/18/main; null when the target is not one. */
    public String newConfigDir() {
        return debianTarget() ? debianRoot() + "/" + inv.target().version() + "/" + debianCluster() : null;
    }

    /**
     * The new Debian cluster's postgresql.conf: the settings initdb wrote (in the data directory, where pg_upgrade reads
     * them too), then this layout's file locations; the old cluster's settings come last from postgresql.auto.conf.
     */
    String debianPostgresqlConf() {
        String conf = newConfigDir();
        return "# PostgreSQL " + inv.target().version() + " cluster " + debianCluster() + ", made by pgmigrate from "
                + debianVersion() + "/" + debianCluster() + " in postgresql-common's layout.\n"
                + "# First the settings initdb wrote, then this layout's file locations. The old cluster's settings\n"
                + "# are in " + newData + "/postgresql.auto.conf, which PostgreSQL reads last.\n"
                + "include = " + confString(newData + "/postgresql.conf") + "\n"
                + "data_directory = " + confString(newData) + "\n"
                + "hba_file = " + confString(conf + "/pg_hba.conf") + "\n"
                + "ident_file = " + confString(conf + "/pg_ident.conf") + "\n"
                + "cluster_name = " + confString(inv.target().version() + "/" + debianCluster()) + "\n";
    }

    private static String confString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
