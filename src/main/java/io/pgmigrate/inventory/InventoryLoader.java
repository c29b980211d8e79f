package io.pgmigrate.inventory;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.inventory.Inventory.Cutover;
import io.pgmigrate.inventory.Inventory.Host;
import io.pgmigrate.inventory.Inventory.Options;
import io.pgmigrate.inventory.Inventory.Pgbouncer;
import io.pgmigrate.inventory.Inventory.ResultComparison;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.inventory.Inventory.SmokeQuery;
import io.pgmigrate.inventory.Inventory.SourceCluster;
import io.pgmigrate.inventory.Inventory.TargetCluster;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.inventory.Inventory.Verify;
import io.pgmigrate.inventory.Inventory.ServiceControl;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads and validates {@code pgmigrate.yaml} (brief §2, reference in {@code docs/inventory.md}).
 * Every problem is a {@link PgMigrateException} with exit code BAD_INPUT and a one-line message
 * {@code <file>[:<line>]: [<key.path>: ]<what is wrong>[; <what to do>]}.
 */
public final class InventoryLoader {
    static final List<String> ROOT_KEYS = List.of("name", "strategy", "source", "target", "options", "cutover",
            "smokeQueries", "standbys", "ha");
    static final List<String> OPTIONS_KEYS = List.of("mode", "jobs", "verify", "replicationSslmode");
    static final List<String> VERIFY_KEYS = List.of("rowCounts", "statistics", "fingerprints", "beforeSwitch",
            "amcheck");
    static final List<String> CUTOVER_KEYS = List.of("pgbouncer", "switchCommand");
    static final List<String> PGBOUNCER_KEYS = List.of("host", "port", "adminUser");
    static final List<String> SMOKE_QUERY_KEYS = List.of("name", "database", "sql", "compare");

    static final int DEFAULT_JOBS = 4;
    static final int DEFAULT_PGBOUNCER_PORT = 6432;
    static final String DEFAULT_PGBOUNCER_ADMIN = "pgbouncer";
    /** pg_upgrade --swap exists from PostgreSQL 18. */
    static final int SWAP_SINCE = 18;
    static final int MAX_NAME_LENGTH = 64;
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Map<String, Strategy> STRATEGIES = keyed(Strategy.values(), Strategy::key);
    private static final Map<String, UpgradeMode> MODES = keyed(UpgradeMode.values(), UpgradeMode::key);
    private static final Map<String, RowCountMode> ROW_COUNTS = keyed(RowCountMode.values(), RowCountMode::key);
    private static final Map<String, ResultComparison> COMPARISONS = keyed(ResultComparison.values(),
            ResultComparison::key);

    private final Path home;
    private final String osUser;

    private InventoryLoader(Path home, String osUser) {
        this.home = home;
        this.osUser = osUser;
    }

    /** Loads {@code file}; {@code ~/} means the current user's home, the SSH user defaults to the current OS user. */
    public static Inventory load(Path file) {
        return load(file, Path.of(System.getProperty("user.home")), System.getProperty("user.name"));
    }

    /** As {@link #load(Path)}, with the home directory and OS user given (for tests and embedding). */
    public static Inventory load(Path file, Path home, String osUser) {
        String label = file.toString();
        return new InventoryLoader(home, osUser).parse(read(file, label), file, label);
    }

    /** Parses inventory text; {@code file} is recorded in the result and named in messages. */
    public static Inventory parse(String yaml, Path file, Path home, String osUser) {
        return new InventoryLoader(home, osUser).parse(yaml, file, file.toString());
    }

    private static String read(Path file, String label) {
        try {
            if (Files.isDirectory(file)) {
                throw InventoryProblems.at(label, 0, null, "is a directory; give the path of the inventory file,"
                        + " e.g. " + file.resolve("pgmigrate.yaml"));
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw InventoryProblems.at(label, 0, null, "is larger than 1 MiB, too large for an inventory;"
                        + " check that this is the right file");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            String where = file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath().normalize() + ")";
            throw InventoryProblems.at(label, 0, null, "no such file" + where
                    + "; check the path, or start from examples/pgmigrate.yaml");
        } catch (AccessDeniedException e) {
            throw InventoryProblems.at(label, 0, null, "cannot be read: permission denied; check its owner and mode");
        } catch (MalformedInputException e) {
            throw InventoryProblems.at(label, 0, null, "is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw InventoryProblems.at(label, 0, null, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private Inventory parse(String yaml, Path file, String label) {
        YamlNode rootNode = YamlTree.parse(yaml, label)
                .filter(n -> !n.isEmptyValue())
                .orElseThrow(() -> InventoryProblems.at(label, 0, null,
                        "the file is empty; describe the clusters as in examples/pgmigrate.yaml (see docs/inventory.md)"));
        if (!rootNode.isMapping()) {
            throw InventoryProblems.at(label, rootNode.line(), null, "the top level must be a mapping of keys ("
                    + String.join(", ", ROOT_KEYS) + "), got " + rootNode.describe());
        }
        Keys.Context context = new Keys.Context(label, home);
        Keys.rejectSecretKeys(rootNode, "", context);
        Keys root = Keys.root(rootNode, context);
        root.rejectUnknown(ROOT_KEYS);

        String name = name(root);
        Strategy strategy = root.oneOf("strategy", STRATEGIES, Strategy.PG_UPGRADE);
        ClusterReader clusters = new ClusterReader(osUser);
        Keys sourceKeys = root.requireMap("source", "add a source: mapping that describes the old cluster"
                + " (host, dataDir, binDir; see docs/inventory.md)");
        SourceCluster source = clusters.source(sourceKeys);
        Keys targetKeys = root.requireMap("target", "add a target: mapping with version, binDir and dataDir"
                + " of the new cluster (see docs/inventory.md)");
        TargetCluster target = clusters.target(targetKeys, strategy, source.host());
        Keys optionKeys = root.section("options");
        Options options = options(optionKeys, target.version(), strategy);

        checkDirectories(sourceKeys, targetKeys, source, target);
        checkPorts(targetKeys, strategy, source, target);
        checkServices(sourceKeys, targetKeys, strategy, source, target);
        List<Inventory.Standby> standbys = new StandbyReader(clusters).standbys(root, strategy, source, target);
        target = target.withStandbys(new StandbyReader(clusters).greenStandbys(targetKeys, strategy, source, target));
        return new Inventory(name, strategy, source, target, options, cutover(root.section("cutover"), strategy),
                smokeQueries(root), standbys, HaReader.ha(root, strategy), file);
    }

    private static String name(Keys root) {
        String name = root.requireString("name", "set it to a short name for this cluster, e.g. orders-prod"
                + " (used in the file names of plans, journals and reports)");
        if (!NAME.matcher(name).matches()) {
            throw root.fail("name", "must start with a letter or digit and contain only letters, digits, '.', '_'"
                    + " and '-' (it is used in file names), got " + InventoryProblems.quote(name));
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw root.fail("name", "must be at most " + MAX_NAME_LENGTH + " characters (it is used in file names),"
                    + " got " + name.length());
        }
        return name;
    }

    /** Data fingerprints are opt-in for in-place upgrades and on by default for blue/green (issue #4). */
    private static Options options(Keys o, int targetVersion, Strategy strategy) {
        o.rejectUnknown(OPTIONS_KEYS);
        UpgradeMode defaultMode = targetVersion >= SWAP_SINCE ? UpgradeMode.SWAP : UpgradeMode.LINK;
        UpgradeMode mode = o.oneOf("mode", MODES, defaultMode);
        if (mode == UpgradeMode.SWAP && targetVersion < SWAP_SINCE) {
            throw o.fail("mode", "swap needs target.version " + SWAP_SINCE + " or later (pg_upgrade --swap exists from"
                    + " PostgreSQL " + SWAP_SINCE + "), but target.version is " + targetVersion
                    + "; use link, clone or copy");
        }
        int jobs = o.optionalInt("jobs", DEFAULT_JOBS, 1, Integer.MAX_VALUE);
        Keys v = o.section("verify");
        v.rejectUnknown(VERIFY_KEYS);
        RowCountMode rowCounts = v.oneOf("rowCounts", ROW_COUNTS, RowCountMode.EXACT);
        boolean statistics = v.optionalBool("statistics", true);
        if (strategy != Strategy.LOGICAL && v.has("beforeSwitch")) {
            throw v.fail("beforeSwitch", "is for strategy: logical (where clients are switched from blue to green);"
                    + " an in-place upgrade has no switch: remove the key");
        }
        if (strategy != Strategy.LOGICAL && o.has("replicationSslmode")) {
            throw o.fail("replicationSslmode", "is for strategy: logical (the connections between blue's and green's"
                    + " hosts); an in-place upgrade makes none: remove the key");
        }
        Map<String, String> modes = new LinkedHashMap<>();
        ClusterReader.SSL_MODES.forEach(m -> modes.put(m, m));
        return new Options(mode, jobs, new Verify(rowCounts, statistics,
                v.optionalBool("fingerprints", strategy == Strategy.LOGICAL), v.optionalBool("beforeSwitch", false),
                v.optionalBool("amcheck", false)),
                o.oneOf("replicationSslmode", modes, null));
    }

    private static Cutover cutover(Keys c, Strategy strategy) {
        c.rejectUnknown(CUTOVER_KEYS);
        Pgbouncer pgbouncer = c.optionalMap("pgbouncer").map(p -> {
            p.rejectUnknown(PGBOUNCER_KEYS);
            String host = p.requireString("host", "set it to the host pgbouncer listens on, e.g. 127.0.0.1");
            int port = p.optionalInt("port", DEFAULT_PGBOUNCER_PORT, 1, 65535);
            String adminUser = p.optionalString("adminUser", DEFAULT_PGBOUNCER_ADMIN);
            return new Pgbouncer(host, port, adminUser);
        }).orElse(null);
        List<String> switchCommand = c.optionalStringList("switchCommand");
        if (!switchCommand.isEmpty() && strategy != Strategy.LOGICAL) {
            throw c.fail("switchCommand", "is for strategy: logical only (clients move to another cluster); an"
                    + " in-place upgrade keeps the cluster's address, remove the key");
        }
        return new Cutover(pgbouncer, switchCommand);
    }

    private static List<SmokeQuery> smokeQueries(Keys root) {
        List<SmokeQuery> queries = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Keys q : root.optionalListOfMaps("smokeQueries")) {
            q.rejectUnknown(SMOKE_QUERY_KEYS);
            String name = q.requireString("name", "give the query a short name for the verification report");
            String database = q.requireString("database", "set it to the database the query runs in");
            String sql = q.requireString("sql", "set it to one read-only SQL statement");
            String earlier = seen.putIfAbsent(name, q.path());
            if (earlier != null) {
                throw q.fail("name", InventoryProblems.quote(name) + " is already used by " + earlier
                        + "; names must be unique, the report lists queries by name");
            }
            queries.add(new SmokeQuery(name, database, sql, q.oneOf("compare", COMPARISONS, ResultComparison.EXACT)));
        }
        return List.copyOf(queries);
    }

    /** On one host, initdb needs a directory of its own: not the old one, not inside it, not around it. */
    private static void checkDirectories(Keys s, Keys t, SourceCluster source, TargetCluster target) {
        if (!sameHost(source.host(), target.host())) {
            return;
        }
        Path old = source.dataDir();
        Path neu = target.dataDir();
        if (neu.equals(old)) {
            throw t.fail("dataDir", "must differ from source.dataDir (" + old + "); the new cluster needs a"
                    + " directory of its own");
        }
        if (neu.startsWith(old)) {
            throw t.fail("dataDir", "must not lie inside source.dataDir (" + old + "); put it beside it, e.g. "
                    + old.resolveSibling(neu.getFileName()));
        }
        if (old.startsWith(neu)) {
            throw t.fail("dataDir", "must not contain source.dataDir (" + old + "); initdb needs an empty directory");
        }
    }

    /**
     * In place, the old cluster is fenced after the upgrade and the new one takes over its start at boot, the same way:
     * Debian's start.conf (which needs the old cluster's configuration directory), or systemd units (the new one named).
     */
    private static void checkServices(Keys s, Keys t, Strategy strategy, SourceCluster source, TargetCluster target) {
        ServiceControl old = source.service();
        ServiceControl neu = target.service();
        if (strategy == Strategy.LOGICAL) {
            if (neu != null) {
                throw t.fail("service", "is for strategy: pg-upgrade (the new cluster replaces the old one in place);"
                        + " remove it");
            }
            return;
        }
        if (old.kind() == ServiceControl.Kind.PG_CTLCLUSTER && source.configFile() == null) {
            throw s.fail("configFile", "required with service: pg_ctlcluster; set it to the old cluster's"
                    + " postgresql.conf, e.g. /etc/postgresql/15/main/postgresql.conf (SHOW config_file)");
        }
        if (old.kind() == ServiceControl.Kind.SYSTEMD && neu == null) {
            throw t.fail("service", "required when source.service is a systemd unit: name the new cluster's unit,"
                    + " e.g. systemd:postgresql-" + target.version() + " (pgmigrate enables it and disables "
                    + old.unit() + " once the new cluster serves)");
        }
        if (neu != null && neu.kind() != old.kind()) {
            throw t.fail("service", "must be of the same kind as source.service (" + old.key() + "), got "
                    + neu.key());
        }
        if (neu != null && neu.kind() == ServiceControl.Kind.SYSTEMD && neu.unit().equals(old.unit())) {
            throw t.fail("service", "names the old cluster's unit (" + old.unit() + "); name the new cluster's unit,"
                    + " which pgmigrate enables while it disables the old one");
        }
    }

    /** Logical on one host: green and blue run at once, so they cannot share a port. */
    private static void checkPorts(Keys t, Strategy strategy, SourceCluster source, TargetCluster target) {
        if (strategy != Strategy.LOGICAL || !sameHost(source.host(), target.host()) || !isLoopback(source.pg().host())) {
            return;
        }
        if (target.port() == source.pg().port()) {
            throw t.fail("port", "green would listen on " + target.port() + ", the port the old cluster uses"
                    + " (source.pg.port); choose another port, e.g. " + (target.port() == 5433 ? 5434 : 5433));
        }
    }

    private static boolean sameHost(Host source, Host target) {
        return target == null || target.address().equals(source.address());
    }

    private static boolean isLoopback(String pgHost) {
        return pgHost.equals("127.0.0.1") || pgHost.equals("localhost") || pgHost.equals("::1") || pgHost.startsWith("/");
    }

    private static <T> Map<String, T> keyed(T[] values, java.util.function.Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T v : values) {
            map.put(key.apply(v), v);
        }
        return map;
    }
}
