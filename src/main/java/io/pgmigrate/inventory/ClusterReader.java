package io.pgmigrate.inventory;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.inventory.Inventory.Host;
import io.pgmigrate.inventory.Inventory.PgEndpoint;
import io.pgmigrate.inventory.Inventory.ServiceControl;
import io.pgmigrate.inventory.Inventory.SourceCluster;
import io.pgmigrate.inventory.Inventory.Ssh;
import io.pgmigrate.inventory.Inventory.TargetCluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the {@code source:} and {@code target:} sections: hosts, SSH, PostgreSQL endpoint, directories, service. */
final class ClusterReader {
    static final List<String> SOURCE_KEYS = List.of("host", "ssh", "become", "pg", "tunnel", "dataDir", "binDir",
            "configFile", "service");
    static final List<String> TARGET_KEYS = List.of("version", "binDir", "dataDir", "port", "host", "ssh", "become",
            "service", "standbys");
    static final List<String> HOST_MAPPING_KEYS = List.of("address", "ssh", "become");
    static final List<String> SSH_KEYS = List.of("user", "port", "identity", "knownHosts");
    static final List<String> PG_KEYS = List.of("host", "port", "user", "database", "sslmode");
    static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    static final int DEFAULT_SSH_PORT = 22;
    static final String DEFAULT_IDENTITY = "~/.ssh/id_ed25519";
    static final String DEFAULT_KNOWN_HOSTS = "~/.ssh/known_hosts";
    static final String DEFAULT_PG_HOST = "127.0.0.1";
    static final int DEFAULT_PG_PORT = 5432;
    static final String DEFAULT_PG_USER = "postgres";
    static final String DEFAULT_PG_DATABASE = "postgres";
    static final String DEFAULT_SSLMODE = "prefer";
    static final int DEFAULT_TARGET_PORT = 5433;
    static final int MIN_TARGET_VERSION = 10;

    private static final Pattern ONE_WORD = Pattern.compile("\\S+");
    private static final int MAX_PORT = 65535;

    private final String osUser;

    ClusterReader(String osUser) {
        this.osUser = osUser;
    }

    SourceCluster source(Keys s) {
        s.rejectUnknown(SOURCE_KEYS);
        String address = s.requireString("host",
                "set it to the old cluster's host name for SSH, or 'local' to run commands on this machine");
        Host host = host(s, "host", address);
        String remote = remoteName(host);
        PgEndpoint pg = pg(s.section("pg"));
        boolean tunnel = s.optionalBool("tunnel", false);
        Path dataDir = s.requirePath("dataDir",
                "set it to the old cluster's data directory (SHOW data_directory)", remote);
        Path binDir = s.requirePath("binDir",
                "set it to the old version's binaries, e.g. /usr/lib/postgresql/15/bin (pg_config --bindir)", remote);
        Path configFile = s.optionalPath("configFile", remote).orElse(null);
        return new SourceCluster(host, pg, tunnel, dataDir, binDir, configFile, service(s));
    }

    /** @param sourceHost where target paths live unless {@code target.host} names another host */
    TargetCluster target(Keys t, Strategy strategy, Host sourceHost) {
        t.rejectUnknown(TARGET_KEYS);
        int version = t.requireInt("version", MIN_TARGET_VERSION, Integer.MAX_VALUE,
                "set it to the new major version, e.g. 18");
        Host host = targetHost(t, strategy);
        String remote = remoteName(host != null ? host : sourceHost);
        Path binDir = t.requirePath("binDir",
                "set it to the new version's binaries, e.g. /usr/lib/postgresql/" + version + "/bin", remote);
        Path dataDir = t.requirePath("dataDir", "set it to the new cluster's data directory, e.g. /var/lib/postgresql/"
                + version + "/main (it must not exist yet, or be empty)", remote);
        if (dataDir.getParent() == null) {
            // the plan's work directory lies beside the new data directory: never in a shared temporary directory
            throw t.fail("dataDir", "must not be / (the work directory pgmigrate-NAME goes beside it, in its parent);"
                    + " give a directory such as /var/lib/postgresql/" + version + "/main");
        }
        int port = t.optionalInt("port", DEFAULT_TARGET_PORT, 1, MAX_PORT);
        return new TargetCluster(version, binDir, dataDir, port, host, t.has("service") ? service(t) : null);
    }

    private Host targetHost(Keys t, Strategy strategy) {
        if (!t.has("host")) {
            for (String key : List.of("ssh", "become")) {
                if (t.has(key)) {
                    throw t.fail(key, "only meaningful together with target.host (green on another host than the"
                            + " source, strategy logical); remove it");
                }
            }
            return null;
        }
        if (strategy != Strategy.LOGICAL) {
            throw t.fail("host", "only allowed with strategy: logical (pg_upgrade runs on the source host);"
                    + " remove it, or set strategy: logical");
        }
        YamlNode h = t.value("host").orElseThrow();
        if (h.isScalar()) {
            return host(t, "host", h.text().trim());
        }
        if (!h.isMapping()) {
            throw t.fail("host", "expected a host name or a mapping with address, ssh and become, got " + h.describe());
        }
        for (String key : List.of("ssh", "become")) {
            if (t.has(key)) {
                throw t.fail(key, "target.host is a mapping, so " + key + " goes inside it; move it there");
            }
        }
        Keys hk = t.asMap("host", h);
        hk.rejectUnknown(HOST_MAPPING_KEYS);
        String address = hk.requireString("address",
                "set it to green's host name for SSH, or 'local' to run commands on this machine");
        return host(hk, "address", address);
    }

    /** A host from its address (under {@code addressKey}) and the {@code ssh} and {@code become} keys beside it. */
    Host host(Keys k, String addressKey, String address) {
        if (!ONE_WORD.matcher(address).matches()) {
            throw k.fail(addressKey, "must be one host name or address, got " + InventoryProblems.quote(address));
        }
        if (address.contains("@")) {
            throw k.fail(addressKey, "must be a host name without a user, got " + InventoryProblems.quote(address)
                    + "; put the user in " + k.pathOf("ssh") + ".user");
        }
        Ssh ssh = ssh(k.section("ssh"));
        String become = k.optionalString("become").orElse(null);
        if (become != null && !ONE_WORD.matcher(become).matches()) {
            throw k.fail("become", "must be one OS user name, got " + InventoryProblems.quote(become));
        }
        return new Host(address, Host.LOCAL.equals(address) ? null : ssh, become);
    }

    private Ssh ssh(Keys s) {
        s.rejectUnknown(SSH_KEYS);
        String user = s.optionalString("user", osUser);
        if (!ONE_WORD.matcher(user).matches()) {
            throw s.fail("user", "must be one user name, got " + InventoryProblems.quote(user));
        }
        int port = s.optionalInt("port", DEFAULT_SSH_PORT, 1, MAX_PORT);
        // identity and knownHosts are files on this machine, so ~/ always means this machine's home
        Path identity = s.toPath("identity", s.optionalString("identity", DEFAULT_IDENTITY), null);
        Path knownHosts = s.toPath("knownHosts", s.optionalString("knownHosts", DEFAULT_KNOWN_HOSTS), null);
        return new Ssh(user, port, identity, knownHosts);
    }

    private PgEndpoint pg(Keys p) {
        return pg(p, new PgEndpoint(DEFAULT_PG_HOST, DEFAULT_PG_PORT, DEFAULT_PG_USER, DEFAULT_PG_DATABASE,
                DEFAULT_SSLMODE));
    }

    /** A {@code pg:} section whose absent keys take the values of {@code defaults}. */
    PgEndpoint pg(Keys p, PgEndpoint defaults) {
        p.rejectUnknown(PG_KEYS);
        String host = p.optionalString("host", defaults.host());
        if (!ONE_WORD.matcher(host).matches()) {
            throw p.fail("host", "must be one host name, address or socket directory, got " + InventoryProblems.quote(host));
        }
        int port = p.optionalInt("port", defaults.port(), 1, MAX_PORT);
        String user = p.optionalString("user", defaults.user());
        String database = p.optionalString("database", defaults.database());
        Map<String, String> modes = new LinkedHashMap<>();
        SSL_MODES.forEach(m -> modes.put(m, m));
        String sslmode = p.oneOf("sslmode", modes, defaults.sslmode());
        return new PgEndpoint(host, port, user, database, sslmode);
    }

    private static ServiceControl service(Keys s) {
        String text = s.optionalString("service").orElse(null);
        if (text == null || text.equals("pg_ctl")) {
            return ServiceControl.pgCtl();
        }
        if (text.equals("pg_ctlcluster")) {
            return new ServiceControl(ServiceControl.Kind.PG_CTLCLUSTER, null);
        }
        if (text.equals("systemd") || text.startsWith("systemd:")) {
            String unit = text.equals("systemd") ? "" : text.substring("systemd:".length()).trim();
            if (unit.isEmpty() || !ONE_WORD.matcher(unit).matches()) {
                throw s.fail("service", "systemd needs the unit after a colon, e.g. systemd:postgresql@15-main, got "
                        + InventoryProblems.quote(text));
            }
            return new ServiceControl(ServiceControl.Kind.SYSTEMD, unit);
        }
        throw s.fail("service", Keys.notOneOf("pg_ctl, pg_ctlcluster, systemd:<unit>", text,
                List.of("pg_ctl", "pg_ctlcluster", "systemd:<unit>")));
    }

    static String remoteName(Host host) {
        return host.isLocal() ? null : host.address();
    }
}
