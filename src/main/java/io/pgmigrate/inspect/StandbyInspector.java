package io.pgmigrate.inspect;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.facts.HostFacts;
import io.pgmigrate.facts.StandbyFacts;
import io.pgmigrate.facts.StandbyFacts.Receiver;
import io.pgmigrate.facts.TargetFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.Standby;
import io.pgmigrate.pg.Conninfo;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads every standby the inventory lists (issue #15): its server over SQL, its host over the transport (the new
 * version's binaries and extensions, disk, addresses, whether it reaches the source for replication), and the
 * source's WAL sender that serves it. A standby that cannot be reached, that belongs to another cluster, or that
 * streams from another server is bad input, one line naming the inventory's entry.
 */
final class StandbyInspector {
    private static final String STANDBY_SQL = """
            SELECT pg_catalog.pg_is_in_recovery() AS in_recovery,
                   pg_catalog.current_setting('server_version_num') AS version_num,
                   (SELECT system_identifier::text FROM pg_catalog.pg_control_system()) AS system_identifier,
                   pg_catalog.current_setting('data_directory') AS data_directory,
                   pg_catalog.current_setting('config_file') AS config_file,
                   pg_catalog.current_setting('hba_file') AS hba_file,
                   pg_catalog.current_setting('cluster_name') AS cluster_name,
                   pg_catalog.pg_last_wal_replay_lsn()::text AS replay_lsn""";
    private static final String RECEIVER_SQL = """
            SELECT status, sender_host, sender_port, slot_name, conninfo FROM pg_catalog.pg_stat_wal_receiver""";
    /** The source's WAL senders with the slot each one uses (a slot names its standby exactly). */
    static final String SENDERS_SQL = """
            SELECT r.pid, r.application_name, pg_catalog.host(r.client_addr) AS client_addr, r.state, r.sync_state,
                   r.sync_priority,
                   pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), r.replay_lsn)::bigint AS lag,
                   (SELECT s.slot_name FROM pg_catalog.pg_replication_slots s WHERE s.active_pid = r.pid) AS slot_name
            FROM pg_catalog.pg_stat_replication r ORDER BY r.application_name, r.client_addr, r.pid""";
    private static final String WALRECEIVER_DEFAULT_NAME = "walreceiver";

    private final Inventory inv;
    private final String sourceSystemIdentifier;
    private final HostCommands sourceHost;

    /** @param sourceHost the primary's host, from where rsync would run */
    StandbyInspector(Inventory inv, String sourceSystemIdentifier, HostCommands sourceHost) {
        this.inv = inv;
        this.sourceSystemIdentifier = sourceSystemIdentifier;
        this.sourceHost = sourceHost;
    }

    /** One WAL sender of the source, as read once for all standbys. */
    record SenderRow(String pid, String applicationName, String clientAddress, String state, String syncState,
                     int syncPriority, long lag, String slot) {
        StandbyFacts.Sender fact() {
            return new StandbyFacts.Sender(applicationName, clientAddress, state, syncState, syncPriority, lag);
        }
    }

    static List<SenderRow> senders(SqlSession source) {
        return source.query(SENDERS_SQL).stream().map(r -> new SenderRow(r.get("pid"), r.get("application_name"),
                r.get("client_addr"), r.get("state"), r.get("sync_state"),
                r.get("sync_priority") == null ? 0 : Integer.parseInt(r.get("sync_priority")),
                r.get("lag") == null ? -1 : r.getLong("lag"), r.get("slot_name"))).toList();
    }

    List<StandbyFacts> read(List<SenderRow> senders, Function<Standby, ClusterAccess> access) {
        List<StandbyFacts> out = new ArrayList<>();
        for (int i = 0; i < inv.standbys().size(); i++) {
            Standby s = inv.standbys().get(i);
            String entry = "standbys[" + i + "] (" + s.name() + ")";
            try {
                out.add(read(entry, s, access.apply(s), senders));
            } catch (TransportException e) {
                throw new PgMigrateException(ExitCode.BAD_INPUT, inv.file() + ": " + entry + ": cannot be read: "
                        + e.getMessage() + "; check its host, ssh and pg keys, or remove it if it is gone");
            }
        }
        return List.copyOf(out);
    }

    private StandbyFacts read(String entry, Standby s, ClusterAccess access, List<SenderRow> senders) {
        SqlRow row;
        Receiver receiver;
        Map<String, String> settings;
        try (SqlSession sql = access.connect(access.maintenanceDatabase())) {
            ProbeRunner.readOnly(sql);
            row = sql.query(STANDBY_SQL).get(0);
            receiver = sql.query(RECEIVER_SQL).stream().findFirst()
                    .map(r -> receiver(r, row.get("cluster_name"))).orElse(null);
            settings = SourceSqlReader.configuredSettings(sql).recorded();
        }
        PgVersion version = PgVersion.fromNum(Integer.parseInt(row.get("version_num")));
        String sysid = row.get("system_identifier");
        if (!sourceSystemIdentifier.equals(sysid)) {
            throw bad(entry, "its server " + where(s) + " has system identifier "
                    + sysid + ", the source's is " + sourceSystemIdentifier + ": it is not a standby of the source;"
                    + " fix its host and pg.port, or remove it");
        }
        if (!row.getBool("in_recovery")) {
            throw bad(entry, "its server " + where(s) + " is not in recovery"
                    + " (pg_is_in_recovery() is false): it is a primary, not a standby; fix the entry");
        }
        HostCommands host = new HostCommands(access.shell());
        List<String> addresses = addresses(host);
        Match match = match(receiver, addresses, senders);
        if (receiver != null && "streaming".equals(receiver.status()) && match.sender() == null && !match.ambiguous()) {
            throw bad(entry, "it streams from " + receiver.senderHost() + ":" + receiver.senderPort() + " (application"
                    + " name " + receiver.applicationName() + "), not from the source: none of the source's WAL senders"
                    + " serves it; list only the source's own standbys (a cascading standby follows its upstream)");
        }
        if (!s.rebuild()) {
            // left to the DBA: known, matched to its WAL sender, nothing of its host needed
            return new StandbyFacts(s.name(), version, sysid, true, row.get("data_directory"), row.get("config_file"),
                    row.get("hba_file"), row.get("replay_lsn"), receiver, match.sender(), match.ambiguous(), addresses,
                    null, null, null, null, settings);
        }
        HostFacts oldDir = new HostFactsReader(host).read(s.dataDir().toString());
        Inventory.TargetCluster where = new Inventory.TargetCluster(inv.target().version(), s.targetBinDir(),
                s.targetDataDir(), inv.target().port(), null);
        TargetFacts target = new TargetBinariesReader(host, where, entry + ".target.binDir").read();
        return new StandbyFacts(s.name(), version, sysid, true, row.get("data_directory"), row.get("config_file"),
                row.get("hba_file"), row.get("replay_lsn"), receiver, match.sender(), match.ambiguous(), addresses,
                oldDir, target, receiver == null ? "the standby has no WAL receiver to take the connection settings from"
                        : reachesPrimary(host, s, receiver),
                inv.options().mode() == Inventory.UpgradeMode.LINK ? rsyncProblem(s) : null, settings);
    }

    private static String where(Standby s) {
        return "at " + s.pg().host() + ":" + s.pg().port() + (s.tunnel() ? " on " + s.host().address() : "");
    }

    private PgMigrateException bad(String entry, String what) {
        return new PgMigrateException(ExitCode.BAD_INPUT, inv.file() + ": " + entry + ": " + what);
    }

    static Receiver receiver(SqlRow r, String clusterName) {
        Map<String, String> conninfo = r.get("conninfo") == null ? Map.of() : Conninfo.parse(r.get("conninfo"));
        Map<String, String> clean = new LinkedHashMap<>(conninfo);
        clean.remove("password");
        String name = clean.get("application_name");
        if (name == null || name.isEmpty()) {
            name = clusterName != null && !clusterName.isEmpty() ? clusterName : WALRECEIVER_DEFAULT_NAME;
        }
        return new Receiver(r.get("status"), r.get("sender_host"),
                r.get("sender_port") == null ? 0 : Integer.parseInt(r.get("sender_port")), r.get("slot_name"),
                Conninfo.of(clean), name);
    }

    record Match(StandbyFacts.Sender sender, boolean ambiguous) {
    }

    /**
     * The source's WAL sender of this standby: the one using its slot; else the one of its application name from one
     * of its host's addresses; else, when only one sender has its application name at all, that one (an address
     * rewritten on the way, NAT).
     */
    static Match match(Receiver receiver, List<String> addresses, List<SenderRow> senders) {
        if (receiver == null) {
            return new Match(null, false);
        }
        if (receiver.slotName() != null) {
            for (SenderRow r : senders) {
                if (receiver.slotName().equals(r.slot())) {
                    return new Match(r.fact(), false);
                }
            }
        }
        List<SenderRow> named = senders.stream().filter(r -> receiver.applicationName().equals(r.applicationName()))
                .toList();
        List<SenderRow> here = named.stream().filter(r -> r.clientAddress() == null
                || addresses.contains(bare(r.clientAddress()))).toList();
        if (here.size() == 1) {
            return new Match(here.get(0).fact(), false);
        }
        if (here.size() > 1) {
            return new Match(null, true);
        }
        return named.size() == 1 ? new Match(named.get(0).fact(), false) : new Match(null, named.size() > 1);
    }

    /** An inet's text without its prefix length (client_addr::text may carry /32). */
    private static String bare(String inet) {
        int slash = inet.indexOf('/');
        return slash < 0 ? inet : inet.substring(0, slash);
    }

    /** Its host's addresses ({@code hostname -I}), loopback included: a standby beside its primary connects there. */
    static List<String> addresses(HostCommands host) {
        Set<String> out = new LinkedHashSet<>();
        CommandResult r = host.run("hostname", "-I");
        if (r.ok()) {
            for (String a : r.stdout().strip().split("\\s+")) {
                if (!a.isEmpty()) {
                    out.add(a);
                }
            }
        }
        out.add("127.0.0.1");
        out.add("::1");
        return List.copyOf(out);
    }

    /**
     * Whether rsync can run from the primary's host to the standby's: rsync there, and SSH non-interactively (the
     * host key already known, no password asked) to rsync on the standby's host.
     */
    private String rsyncProblem(Standby s) {
        CommandResult local = sourceHost.run("rsync", "--version");
        if (!local.ok()) {
            return "rsync is not installed on the source's host (" + sourceHost.host() + ")";
        }
        CommandResult remote = sourceHost.run("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "--",
                s.dataOwnerAtHost(), "rsync --version");
        if (remote.ok()) {
            return null;
        }
        String err = remote.lastErrorLine();
        return "ssh " + s.dataOwnerAtHost() + " from the source's host failed: " + (err == null || err.isBlank()
                ? "exit " + remote.exitCode() : err);
    }

    /**
     * Whether the standby's host opens a replication connection to the source with its WAL receiver's settings (the
     * password from its own ~/.pgpass, never from here): what re-creating it with pg_basebackup will do.
     */
    private static String reachesPrimary(HostCommands host, Standby s, Receiver receiver) {
        Map<String, String> keywords = new LinkedHashMap<>(Conninfo.parse(receiver.conninfo()));
        keywords.put("replication", "true");
        keywords.put("connect_timeout", "10");
        CommandResult r = host.run(s.binDir() + "/psql", "--no-psqlrc", "--no-password", "--quiet",
                "--tuples-only", "--dbname=" + Conninfo.of(keywords), "--command=IDENTIFY_SYSTEM");
        if (r.ok()) {
            return null;
        }
        String err = r.stderr().strip();
        return err.isEmpty() ? "psql exited with " + r.exitCode() : err.lines().findFirst().orElse(err);
    }
}
