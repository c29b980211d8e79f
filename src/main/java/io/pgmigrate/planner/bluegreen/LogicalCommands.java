package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.core.SessionSettings;
import io.pgmigrate.plan.Action.RunCommand;
import io.pgmigrate.planner.InitdbOptions;

import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.ServiceControl;
import io.pgmigrate.inventory.PeerAddresses;
import io.pgmigrate.pg.Conninfo;
import io.pgmigrate.plan.HostRole;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The programs and connection strings of blue/green, as argument lists: the inventory's paths and the inspected
 * facts put together, nothing else. Green's tools run on green's host (target.host, or blue's host without it) and
 * reach blue over the network, or over blue's socket when both share a host. No connection string carries a
 * password: the password, when the role needs one, comes from the ~/.pgpass of the OS user on the host that connects.
 */
final class LogicalCommands {
    private final Inventory inv;
    private final SourceFacts source;
    private final String newBin;
    private final String newData;
    private final String workDir;
    private final String socketDir;
    private final String bluePort;

    LogicalCommands(Inventory inv, SourceFacts source) {
        this.inv = inv;
        this.source = source;
        this.newBin = inv.target().binDir().toString();
        this.newData = inv.target().dataDir().toString();
        // beside green's data directory, as in place (the inventory refuses a target.dataDir without a parent)
        this.workDir = inv.target().dataDir().getParent().resolve("pgmigrate-" + inv.name()).toString();
        String first = source.settings().getOrDefault("unix_socket_directories", "/tmp").split(",")[0].trim();
        this.socketDir = first.isEmpty() ? "/tmp" : first;
        this.bluePort = source.settings().getOrDefault("port", String.valueOf(inv.source().pg().port()));
    }

    /** Whether green has a host of its own. */
    boolean greenElsewhere() {
        return PeerAddresses.greenElsewhere(inv);
    }

    /** Where green's programs run. */
    HostRole greenHost() {
        return greenElsewhere() ? HostRole.TARGET : HostRole.SOURCE;
    }

    String workDir() {
        return workDir;
    }

    String newData() {
        return newData;
    }

    String socketDir() {
        return socketDir;
    }

    String globalsFile() {
        return workDir + "/globals.sql";
    }

    List<String> initdb() {
        return InitdbOptions.argv(newBin, newData, source, inv.target().version());
    }

    List<String> startGreen() {
        return List.of(newBin + "/pg_ctl", "start", "-D", newData, "-w", "-t", "600",
                "-l", workDir + "/postgresql-" + inv.target().version() + ".log");
    }

    /** An empty file only its owner can read, for pg_dumpall to write into (it keeps the mode). */
    List<String> createPrivateFile(String path) {
        return List.of("install", "-m", "0600", "/dev/null", path);
    }

    List<String> removeFile(String path) {
        return List.of("rm", "-f", "--", path);
    }

    /** The server log green's pg_ctl start writes. */
    io.pgmigrate.plan.Action.Logs greenServerLog() {
        return new io.pgmigrate.plan.Action.Logs(workDir, "postgresql-" + inv.target().version() + ".log");
    }

    /* The programs that run SQL text get the session settings pinned (SessionSettings), through their environment. */

    RunCommand dumpGlobals() {
        return dump(List.of(newBin + "/pg_dumpall", "--globals-only", "--no-tablespaces", "--file=" + globalsFile(),
                "--dbname=" + Conninfo.of(blueFromGreen("postgres"))));
    }

    RunCommand restoreGlobals() {
        return new RunCommand(List.of(newBin + "/psql", "--no-psqlrc", "--quiet", "--file=" + globalsFile(),
                "--dbname=" + Conninfo.of(greenLocal("postgres"))), SessionSettings.psqlEnvironment(), null, null, null);
    }

    RunCommand dumpSchema(LogicalNames db) {
        return dump(List.of(newBin + "/pg_dump", "--schema-only", "--no-tablespaces", "--format=custom",
                "--file=" + workDir + "/" + db.schemaFile(), "--dbname=" + Conninfo.of(blueFromGreen(db.database()))));
    }

    private static RunCommand dump(List<String> argv) {
        return new RunCommand(argv, SessionSettings.dumpEnvironment(), null, null, null);
    }

    /** postgres exists in a fresh cluster: restored into; every other database is created by pg_restore --create. */
    RunCommand restoreSchema(LogicalNames db) {
        List<String> argv = new ArrayList<>(List.of(newBin + "/pg_restore", "--no-tablespaces", "--exit-on-error"));
        if (db.database().equals("postgres")) {
            argv.add("--dbname=" + Conninfo.of(greenLocal("postgres")));
        } else {
            argv.addAll(List.of("--create", "--dbname=" + Conninfo.of(greenLocal("postgres"))));
        }
        argv.add(workDir + "/" + db.schemaFile());
        return dump(argv);
    }

    RunCommand analyzeGreen() {
        return new RunCommand(List.of(newBin + "/vacuumdb", "--all", "--analyze-in-stages",
                "--jobs=" + inv.options().jobs(), "--host=" + socketDir, "--port=" + inv.target().port(),
                "--username=" + inv.source().pg().user()), SessionSettings.psqlEnvironment(), null, null, null);
    }

    /** Restarts blue with the way the inventory says it is started and stopped (fast shutdown). */
    List<String> restartBlue() {
        ServiceControl svc = inv.source().service();
        String oldBin = inv.source().binDir().toString();
        return switch (svc.kind()) {
            case PG_CTL -> List.of(oldBin + "/pg_ctl", "restart", "-D", blueConfigDir(), "-m", "fast", "-w", "-t", "600");
            case PG_CTLCLUSTER -> List.of("pg_ctlcluster", String.valueOf(source.version().major()),
                    inv.source().dataDir().getFileName().toString(), "restart", "-m", "fast");
            case SYSTEMD -> List.of("systemctl", "restart", svc.unit());
        };
    }

    /** The inventory's switch command with the side, its host and its port appended. */
    List<String> switchClients(boolean toGreen) {
        List<String> argv = new ArrayList<>(inv.cutover().switchCommand());
        if (toGreen) {
            argv.addAll(List.of("green", greenAddress(), String.valueOf(inv.target().port())));
        } else {
            argv.addAll(List.of("blue", blueAddress(), bluePort));
        }
        return List.copyOf(argv);
    }

    /** Blue as green's host reaches it: its socket on a shared host, else its address. */
    Map<String, String> blueFromGreen(String database) {
        return greenElsewhere() ? PeerAddresses.blueFromGreenHost(inv, bluePort, database)
                : socket(socketDir, bluePort, database);
    }

    /** Green as blue's host reaches it (reverse replication). */
    Map<String, String> greenFromBlue(String database) {
        return greenElsewhere() ? tcp(greenAddress(), String.valueOf(inv.target().port()), database)
                : socket(socketDir, String.valueOf(inv.target().port()), database);
    }

    /** Green from its own host, over its socket. */
    Map<String, String> greenLocal(String database) {
        return socket(socketDir, String.valueOf(inv.target().port()), database);
    }

    String blueAddress() {
        return PeerAddresses.blue(inv);
    }

    String greenAddress() {
        return PeerAddresses.green(inv);
    }

    private Map<String, String> tcp(String host, String port, String database) {
        Map<String, String> m = socket(host, port, database);
        String sslmode = PeerAddresses.replicationSslmode(inv);
        if (sslmode != null) {
            m.put("sslmode", sslmode);
        }
        return m;
    }

    private Map<String, String> socket(String host, String port, String database) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", port);
        m.put("user", inv.source().pg().user());
        m.put("dbname", database);
        return m;
    }

    private String blueConfigDir() {
        Path cf = inv.source().configFile();
        return cf == null || cf.getParent() == null ? inv.source().dataDir().toString() : cf.getParent().toString();
    }
}
