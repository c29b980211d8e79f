package io.pgmigrate.rehearsal;

import io.pgmigrate.pg.Conninfo;
import io.pgmigrate.core.SessionSettings;
import io.pgmigrate.facts.RehearsalFacts;
import io.pgmigrate.facts.RehearsalFacts.RestoreError;
import io.pgmigrate.inspect.RestoreErrors;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.SourceFacts.DatabaseFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.PeerAddresses;
import io.pgmigrate.planner.InitdbOptions;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The schema rehearsal (brief §4): on the host the target's binaries run on, the source's roles and every
 * database's schema are dumped with the target's pg_dump, as pg_upgrade will, and restored into a scratch cluster of
 * the target version made with the planned initdb flags. That is the source host, or green's own host for a
 * blue/green plan with target.host: from there the dumps reach blue over the network as green's will, with the
 * password (when blue asks for one) from the ~/.pgpass of the OS user there. Whatever the target refuses is found
 * days before the window. It only reads the source (no role passwords, no tablespaces are dumped) and removes the
 * scratch cluster and dumps, whatever happens.
 */
public final class SchemaRehearsal {
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(15);
    private static final Pattern SAFE_DIR = Pattern.compile("/tmp/pgmigrate-rehearsal\\.[A-Za-z0-9]+");

    private final Inventory inv;
    private final SourceFacts source;
    private final HostShell host;
    private final String newBin;

    /** @param host a shell on the host the target's binaries run on (green's, for a blue/green plan with target.host) */
    public SchemaRehearsal(Inventory inv, SourceFacts source, HostShell host) {
        this.inv = inv;
        this.source = source;
        this.host = host;
        this.newBin = inv.target().binDir().toString();
    }

    public RehearsalFacts run() {
        if (!source.connectedAsSuperuser()) {
            return RehearsalFacts.skipped("the inventory's pg.user is not a superuser, so the schema cannot be dumped whole");
        }
        CommandResult mk = host.run(List.of("mktemp", "-d", "/tmp/pgmigrate-rehearsal.XXXXXXXX"), STEP_TIMEOUT);
        String dir = mk.stdout().strip();
        if (!mk.ok() || !SAFE_DIR.matcher(dir).matches()) {
            return RehearsalFacts.skipped("could not create a scratch directory on " + host.describe() + ": "
                    + mk.lastErrorLine());
        }
        // mktemp made it new, 0700 and ours; checked all the same, as every directory pgmigrate works in
        String refused = io.pgmigrate.transport.PrivateDirectory.check(host, dir, STEP_TIMEOUT);
        if (refused != null) {
            return RehearsalFacts.skipped(refused);
        }
        try {
            return rehearse(dir);
        } catch (TransportException e) {
            return failedToStart("it stopped: " + e.getMessage());
        } finally {
            run(List.of(newBin + "/pg_ctl", "stop", "-D", dir + "/data", "-m", "immediate", "-w"));
            run(List.of("rm", "-rf", "--", dir));
        }
    }

    private RehearsalFacts rehearse(String dir) {
        if (PeerAddresses.greenElsewhere(inv)) {
            // green's subscriptions will connect from this host as its dumps do: whether they can is found first
            CommandResult probe = run(SessionSettings.withEnvironment(SessionSettings.psqlEnvironment(), List.of(
                    newBin + "/psql", "--no-psqlrc", "--quiet", "--tuples-only", "--command=SELECT 1",
                    "--dbname=" + Conninfo.of(sourceConn(inv.source().pg().database())))));
            if (!probe.ok()) {
                return RehearsalFacts.blueUnreachable(probe.lastErrorLine());
            }
        }
        CommandResult init = run(InitdbOptions.argv(newBin, dir + "/data", source, inv.target().version()));
        if (!init.ok()) {
            return failedToStart("initdb with the planned flags failed: " + init.lastErrorLine());
        }
        String port = String.valueOf(inv.target().port());
        CommandResult start = run(List.of(newBin + "/pg_ctl", "start", "-D", dir + "/data", "-w", "-t", "120",
                "-l", dir + "/server.log",
                "-o", "-p " + port + " -c listen_addresses='' -c unix_socket_directories=" + dir + " -c fsync=off"));
        if (!start.ok()) {
            return failedToStart("the scratch PostgreSQL " + inv.target().version() + " cluster did not start: "
                    + start.lastErrorLine());
        }
        Map<String, String> scratch = new LinkedHashMap<>(Map.of("host", dir, "port", port));
        List<RestoreError> errors = new ArrayList<>(roles(dir, scratch));
        List<String> restored = new ArrayList<>();
        int n = 0;
        for (DatabaseFacts db : source.databases()) {
            if (!db.allowConnections() || db.name().equals("template0")) {
                continue;
            }
            errors.addAll(database(db.name(), dir + "/db-" + (++n) + ".dump", scratch));
            restored.add(db.name());
        }
        return new RehearsalFacts(true, null, restored, errors);
    }

    private List<RestoreError> roles(String dir, Map<String, String> scratch) {
        String file = dir + "/roles.sql";
        CommandResult dump = run(SessionSettings.withEnvironment(SessionSettings.dumpEnvironment(), List.of(
                newBin + "/pg_dumpall", "--roles-only", "--no-role-passwords",
                "--file=" + file, "--dbname=" + Conninfo.of(sourceConn("postgres")))));
        if (!dump.ok()) {
            return List.of(new RestoreError("(roles)", "pg_dumpall --roles-only", dump.lastErrorLine()));
        }
        CommandResult restore = run(SessionSettings.withEnvironment(SessionSettings.psqlEnvironment(), List.of(
                newBin + "/psql", "--no-psqlrc", "--quiet", "--file=" + file,
                "--dbname=" + Conninfo.of(with(scratch, "postgres")))));
        return RestoreErrors.ofRoles(restore.stderr(), source.bootstrapSuperuser());
    }

    private List<RestoreError> database(String name, String file, Map<String, String> scratch) {
        CommandResult dump = run(SessionSettings.withEnvironment(SessionSettings.dumpEnvironment(), List.of(
                newBin + "/pg_dump", "--schema-only", "--no-tablespaces", "--format=custom",
                "--file=" + file, "--dbname=" + Conninfo.of(sourceConn(name)))));
        if (!dump.ok()) {
            return List.of(new RestoreError(name, "pg_dump --schema-only", dump.lastErrorLine()));
        }
        boolean exists = name.equals("postgres") || name.equals("template1");
        List<String> argv = new ArrayList<>(List.of(newBin + "/pg_restore", "--no-tablespaces",
                "--jobs=" + inv.options().jobs()));
        if (exists) {
            argv.add("--dbname=" + Conninfo.of(with(scratch, name)));
        } else {
            argv.addAll(List.of("--create", "--dbname=" + Conninfo.of(with(scratch, "postgres"))));
        }
        argv.add(file);
        return RestoreErrors.ofPgRestore(name, run(SessionSettings.withEnvironment(SessionSettings.dumpEnvironment(),
                argv)).stderr());
    }

    /** The source as the rehearsal's host reaches it: over the network from green's own host, else its socket. */
    private Map<String, String> sourceConn(String database) {
        if (PeerAddresses.greenElsewhere(inv)) {
            Map<String, String> m = PeerAddresses.blueFromGreenHost(inv, sourcePort(), database);
            m.put("application_name", "pgmigrate-rehearsal");
            return m;
        }
        return socketConn(database);
    }

    private String sourcePort() {
        return source.settings().getOrDefault("port", String.valueOf(inv.source().pg().port()));
    }

    /** The source as seen from its own host: its first socket directory, its port, the install user. */
    private Map<String, String> socketConn(String database) {
        String sockets = source.settings().getOrDefault("unix_socket_directories", "/tmp");
        String socket = sockets.split(",")[0].trim();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", socket.isEmpty() ? "/tmp" : socket);
        m.put("port", sourcePort());
        m.put("user", source.bootstrapSuperuser());
        m.put("dbname", database);
        m.put("application_name", "pgmigrate-rehearsal");
        return m;
    }

    private Map<String, String> with(Map<String, String> scratch, String database) {
        Map<String, String> m = new LinkedHashMap<>(scratch);
        m.put("user", source.bootstrapSuperuser());
        m.put("dbname", database);
        return m;
    }

    private RehearsalFacts failedToStart(String why) {
        return new RehearsalFacts(false, why, List.of(), List.of());
    }

    private CommandResult run(List<String> argv) {
        return host.run(argv, STEP_TIMEOUT);
    }
}
