package io.pgmigrate.inventory;

import io.pgmigrate.plan.Strategy;

import java.nio.file.Path;
import java.util.List;

/**
 * The environment as the DBA describes it in {@code pgmigrate.yaml} (brief §2). Loaded and validated
 * by {@link InventoryLoader}; every path in it is absolute.
 *
 * @param file where it was read from (for messages), not part of the YAML
 */
public record Inventory(
        String name,
        Strategy strategy,
        SourceCluster source,
        TargetCluster target,
        Options options,
        Cutover cutover,
        List<SmokeQuery> smokeQueries,
        List<Standby> standbys,
        Ha ha,
        Path file) {

    public Inventory {
        smokeQueries = smokeQueries == null ? List.of() : List.copyOf(smokeQueries);
        standbys = standbys == null ? List.of() : List.copyOf(standbys);
    }

    /** An inventory without an HA manager ({@code ha:} absent). */
    public Inventory(String name, Strategy strategy, SourceCluster source, TargetCluster target, Options options,
                     Cutover cutover, List<SmokeQuery> smokeQueries, List<Standby> standbys, Path file) {
        this(name, strategy, source, target, options, cutover, smokeQueries, standbys, null, file);
    }

    /** An inventory without standbys. */
    public Inventory(String name, Strategy strategy, SourceCluster source, TargetCluster target, Options options,
                     Cutover cutover, List<SmokeQuery> smokeQueries, Path file) {
        this(name, strategy, source, target, options, cutover, smokeQueries, List.of(), null, file);
    }

    /** The standbys pgmigrate brings to the new version with the primary ({@code rebuild: true}). */
    public List<Standby> rebuiltStandbys() {
        return standbys.stream().filter(Standby::rebuild).toList();
    }

    /** This inventory with its standbys replaced (tests, and plans that leave them out). */
    public Inventory withStandbys(List<Standby> list) {
        return new Inventory(name, strategy, source, target, options, cutover, smokeQueries, list, ha, file);
    }

    /** This inventory with its {@code ha:} section replaced (tests). */
    public Inventory withHa(Ha h) {
        return new Inventory(name, strategy, source, target, options, cutover, smokeQueries, standbys, h, file);
    }

    /**
     * This inventory with data fingerprints off (the planner's, when the source's version cannot compute them;
     * everything else as written).
     */
    public Inventory withoutFingerprints() {
        Verify v = options.verify();
        return new Inventory(name, strategy, source, target, new Options(options.mode(), options.jobs(),
                new Verify(v.rowCounts(), v.statistics(), false, v.beforeSwitch()), options.replicationSslmode()),
                cutover, smokeQueries, standbys, ha, file);
    }

    /** pg_upgrade's transfer modes. */
    public enum UpgradeMode {
        SWAP("swap"), LINK("link"), CLONE("clone"), COPY("copy");

        private final String key;

        UpgradeMode(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public String flag() {
            return "--" + key;
        }
    }

    public enum RowCountMode {
        EXACT("exact"), FAST("fast"), OFF("off");

        private final String key;

        RowCountMode(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** How to reach a host: "local" (this machine) or over SSH. */
    public record Host(String address, Ssh ssh, String become) {
        public static final String LOCAL = "local";

        public boolean isLocal() {
            return LOCAL.equals(address);
        }
    }

    public record Ssh(String user, int port, Path identity, Path knownHosts) {
    }

    /** How to reach PostgreSQL itself. No password here: ~/.pgpass, PGPASSFILE or PGPASSWORD supply it. */
    public record PgEndpoint(String host, int port, String user, String database, String sslmode) {
    }

    public record SourceCluster(Host host, PgEndpoint pg, boolean tunnel, Path dataDir, Path binDir,
                                Path configFile, ServiceControl service) {
    }

    /**
     * @param service how the new cluster is started at boot once it replaced the old one (in place only): null means
     *                as the old one ({@code pg_ctl}, or Debian's {@code pg_ctlcluster} under the same cluster name);
     *                with {@code systemd:<unit>} on the source it names the new cluster's unit
     */
    /**
     * @param standbys green's own standbys ({@code target.standbys}, strategy logical only, issue #15): made with
     *                 pg_basebackup from green before the cutover
     */
    public record TargetCluster(int version, Path binDir, Path dataDir, int port, Host host, ServiceControl service,
                                List<GreenStandby> standbys) {
        public TargetCluster {
            standbys = standbys == null ? List.of() : List.copyOf(standbys);
        }

        public TargetCluster(int version, Path binDir, Path dataDir, int port, Host host, ServiceControl service) {
            this(version, binDir, dataDir, port, host, service, List.of());
        }

        public TargetCluster(int version, Path binDir, Path dataDir, int port, Host host) {
            this(version, binDir, dataDir, port, host, null, List.of());
        }

        public TargetCluster withStandbys(List<GreenStandby> list) {
            return new TargetCluster(version, binDir, dataDir, port, host, service, list);
        }
    }

    /**
     * One of green's own physical standbys (blue/green, issue #15), on a host of its own: made with pg_basebackup from
     * green once green runs, before the cutover, so that the new primary is highly available from its first second.
     *
     * @param name            how plans, steps and messages name it (also its application_name on green)
     * @param pg              how pgmigrate reaches it (user, database and sslmode are the source's unless given)
     * @param dataDir         where its data directory goes on its host (absent or empty)
     * @param binDir          the new version's binaries there (default: target.binDir)
     * @param replicationUser the role it streams from green as (default: source.pg.user); the password, if any, comes
     *                        from ~/.pgpass of its host's become user
     */
    public record GreenStandby(String name, Host host, PgEndpoint pg, boolean tunnel, Path dataDir, Path binDir,
                               String replicationUser) {
    }

    /**
     * A physical standby of the source on a host of its own (issue #15), stopped, started and rebuilt with
     * {@code pg_ctl} on its host.
     *
     * @param name          how plans, steps and messages name it: its {@code name}, else its host's address
     * @param pg            how pgmigrate reaches its PostgreSQL (user, database and sslmode are the source's unless given)
     * @param tunnel        SQL through an SSH tunnel to the standby's host (default: source.tunnel)
     * @param binDir        the old version's binaries there (default: source.binDir)
     * @param targetDataDir where its data directory of the new version goes
     * @param targetBinDir  the new version's binaries there (default: target.binDir)
     * @param rebuild       false: pgmigrate neither stops nor rebuilds it (the DBA does, after the window); listing it
     *                      only says that it is known
     */
    public record Standby(String name, Host host, PgEndpoint pg, boolean tunnel, Path dataDir, Path binDir,
                          Path targetDataDir, Path targetBinDir, boolean rebuild) {
        /**
         * {@code user@host} for SSH from the primary's host (rsync): the owner of its data directory there, its
         * {@code become} user, else its SSH user.
         */
        public String dataOwnerAtHost() {
            String user = host.become() != null ? host.become() : host.ssh() != null ? host.ssh().user() : null;
            return (user == null ? "" : user + "@") + host.address();
        }
    }

    /** The HA manager of the source and its standbys ({@code ha:}); only Patroni so far. */
    public record Ha(Patroni patroni) {
    }

    /**
     * The Patroni cluster the source and its standbys are members of (issue #15). Its members are the source's host
     * and the standbys' hosts.
     *
     * @param config  where patroni.yml lies on every member's host
     * @param rest    each member's REST API, {@code host:port}, in the inventory's order
     * @param service how Patroni is stopped and started on a member's host
     */
    public record Patroni(Path config, List<String> rest, PatroniService service) {
        public Patroni {
            rest = List.copyOf(rest);
        }
    }

    /**
     * How Patroni is stopped and started on a member's host: {@code systemctl stop|start <unit>}, or the DBA's own
     * commands (argument lists, run on each member's host as its become user).
     *
     * @param unit  the systemd unit, null with commands
     * @param stop  the stop command, empty with a unit
     * @param start the start command, empty with a unit
     */
    public record PatroniService(String unit, List<String> stop, List<String> start) {
        public PatroniService {
            stop = stop == null ? List.of() : List.copyOf(stop);
            start = start == null ? List.of() : List.copyOf(start);
        }

        public static PatroniService systemd(String unit) {
            return new PatroniService(unit, List.of(), List.of());
        }

        public String key() {
            return unit != null ? "systemd:" + unit : "commands";
        }
    }

    /** How the old cluster is stopped and started: pg_ctl, pg_ctlcluster, or a systemd unit. */
    public record ServiceControl(Kind kind, String unit) {
        public enum Kind { PG_CTL, PG_CTLCLUSTER, SYSTEMD }

        public static ServiceControl pgCtl() {
            return new ServiceControl(Kind.PG_CTL, null);
        }

        public String key() {
            return switch (kind) {
                case PG_CTL -> "pg_ctl";
                case PG_CTLCLUSTER -> "pg_ctlcluster";
                case SYSTEMD -> "systemd:" + unit;
            };
        }
    }

    /**
     * @param replicationSslmode logical only: libpq sslmode of the connections blue's and green's hosts make to each
     *                           other over the network (the subscriptions both ways, green's pg_dump of blue); null:
     *                           source.pg.sslmode
     */
    public record Options(UpgradeMode mode, int jobs, Verify verify, String replicationSslmode) {
        public Options(UpgradeMode mode, int jobs, Verify verify) {
            this(mode, jobs, verify, null);
        }
    }

    /**
     * @param fingerprints per-table data hashes computed in the server (opt-in for in-place upgrades)
     * @param beforeSwitch blue/green only: compare the data at the frozen point before clients are switched (inside
     *                     the write outage, a difference keeps clients on blue) instead of in snapshots exported at
     *                     the frozen point and compared once clients work on green (the default: the outage does not
     *                     grow with the data; a difference is then undone by the reverse cutover)
     * @param amcheck      after the upgrade, check the btree indexes on collations whose recorded version differs from
     *                     the server's libc/ICU with amcheck's bt_index_check
     */
    public record Verify(RowCountMode rowCounts, boolean statistics, boolean fingerprints, boolean beforeSwitch,
                         boolean amcheck) {
        public Verify(RowCountMode rowCounts, boolean statistics, boolean fingerprints) {
            this(rowCounts, statistics, fingerprints, false, false);
        }

        public Verify(RowCountMode rowCounts, boolean statistics, boolean fingerprints, boolean beforeSwitch) {
            this(rowCounts, statistics, fingerprints, beforeSwitch, false);
        }
    }

    /**
     * @param switchCommand logical only: the program (and its first arguments) that points clients at a cluster; pgmigrate
     *                      appends {@code green|blue}, that cluster's host and its port. Empty when not given.
     */
    public record Cutover(Pgbouncer pgbouncer, List<String> switchCommand) {
        public Cutover {
            switchCommand = switchCommand == null ? List.of() : List.copyOf(switchCommand);
        }

        public Cutover(Pgbouncer pgbouncer) {
            this(pgbouncer, List.of());
        }
    }

    public record Pgbouncer(String host, int port, String adminUser) {
    }

    /** @param compare how its results before and after are compared */
    public record SmokeQuery(String name, String database, String sql, ResultComparison compare) {
    }

    /** How a smoke query's results are compared: all rows in order, only how many, or not at all (timings only). */
    public enum ResultComparison {
        EXACT("exact"), ROW_COUNT("row-count"), TIMING_ONLY("timing-only");

        private final String key;

        ResultComparison(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }
}
