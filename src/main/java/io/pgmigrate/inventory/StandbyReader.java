package io.pgmigrate.inventory;

import io.pgmigrate.inventory.Inventory.Host;
import io.pgmigrate.inventory.Inventory.PgEndpoint;
import io.pgmigrate.inventory.Inventory.SourceCluster;
import io.pgmigrate.inventory.Inventory.Standby;
import io.pgmigrate.inventory.Inventory.TargetCluster;
import io.pgmigrate.plan.Strategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the {@code standbys:} list: each physical standby of the source, on its host (issue #15). */
final class StandbyReader {
    static final List<String> STANDBY_KEYS = List.of("name", "host", "ssh", "become", "pg", "tunnel", "dataDir",
            "binDir", "target", "rebuild");
    static final List<String> STANDBY_TARGET_KEYS = List.of("dataDir", "binDir");
    /** A standby's name goes into step ids and file names on its host. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final ClusterReader clusters;

    StandbyReader(ClusterReader clusters) {
        this.clusters = clusters;
    }

    List<Standby> standbys(Keys root, Strategy strategy, SourceCluster source, TargetCluster target) {
        List<Keys> entries = root.optionalListOfMaps("standbys");
        if (!entries.isEmpty() && strategy == Strategy.LOGICAL) {
            throw root.fail("standbys", "is for strategy: pg-upgrade, where the standbys are brought to the new"
                    + " version with their primary; with strategy logical, blue's standbys keep serving blue and"
                    + " green's own go under target.standbys: move them there");
        }
        List<Standby> standbys = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> places = new HashMap<>();
        for (Keys k : entries) {
            Standby s = standby(k, source, target);
            String earlier = names.putIfAbsent(s.name(), k.path());
            if (earlier != null) {
                throw k.fail(k.has("name") ? "name" : "host", "the standby name " + InventoryProblems.quote(s.name())
                        + " is already used by " + earlier + "; give each standby a name of its own (name:)");
            }
            String place = s.host().address() + ":" + s.dataDir();
            String same = places.putIfAbsent(place, k.path());
            if (same != null) {
                throw k.fail("dataDir", "names the same data directory on the same host as " + same
                        + "; list each standby once");
            }
            if (s.host().address().equals(source.host().address()) && s.dataDir().equals(source.dataDir())) {
                throw k.fail("dataDir", "is source.dataDir on the source's host: that is the primary, not a standby");
            }
            standbys.add(s);
        }
        return List.copyOf(standbys);
    }

    static final List<String> GREEN_STANDBY_KEYS = List.of("name", "host", "ssh", "become", "pg", "tunnel", "dataDir",
            "binDir", "replicationUser");

    /** {@code target.standbys}: green's own standbys (strategy logical). */
    List<Inventory.GreenStandby> greenStandbys(Keys t, Strategy strategy, SourceCluster source, TargetCluster target) {
        List<Keys> entries = t.optionalListOfMaps("standbys");
        if (!entries.isEmpty() && strategy != Strategy.LOGICAL) {
            throw t.fail("standbys", "is for strategy: logical (green's own standbys); in place, the source's"
                    + " standbys go under the top-level standbys: key");
        }
        List<Inventory.GreenStandby> list = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (Keys k : entries) {
            k.rejectUnknown(GREEN_STANDBY_KEYS);
            String address = k.requireString("host", "set it to the standby's host name for SSH");
            Host host = clusters.host(k, "host", address);
            String name = name(k, address);
            String earlier = names.putIfAbsent(name, k.path());
            if (earlier != null) {
                throw k.fail(k.has("name") ? "name" : "host", "the standby name " + InventoryProblems.quote(name)
                        + " is already used by " + earlier + "; give each standby a name of its own (name:)");
            }
            boolean tunnel = k.optionalBool("tunnel", source.tunnel());
            PgEndpoint base = source.pg();
            PgEndpoint pg = clusters.pg(k.section("pg"), new PgEndpoint(host.isLocal() || tunnel ? "127.0.0.1"
                    : address, target.port(), base.user(), base.database(), base.sslmode()));
            String remote = ClusterReader.remoteName(host);
            Path dataDir = k.requirePath("dataDir", "set it to where the standby's data directory goes, e.g. "
                    + target.dataDir() + " (it must not exist yet, or be empty)", remote);
            if (dataDir.getParent() == null) {
                throw k.fail("dataDir", "must not be / (pgmigrate's work directory goes beside it)");
            }
            Path binDir = k.optionalPath("binDir", remote).orElse(target.binDir());
            String user = k.optionalString("replicationUser", base.user());
            list.add(new Inventory.GreenStandby(name, host, pg, tunnel, dataDir, binDir, user));
        }
        return List.copyOf(list);
    }

    /** A standby's name: its {@code name}, else its host's address; it goes into step ids. */
    private static String name(Keys k, String address) {
        String name = k.optionalString("name", address);
        if (!NAME.matcher(name).matches()) {
            throw k.fail(k.has("name") ? "name" : "host", "a standby's name must be 1 to 63 letters, digits, '.', '_'"
                    + " or '-', starting with a letter or digit (it goes into step ids), got "
                    + InventoryProblems.quote(name) + (k.has("name") ? "" : "; set name: to a short name"));
        }
        return name;
    }

    private Standby standby(Keys k, SourceCluster source, TargetCluster target) {
        k.rejectUnknown(STANDBY_KEYS);
        String address = k.requireString("host", "set it to the standby's host name for SSH");
        Host host = clusters.host(k, "host", address);
        String name = name(k, address);
        boolean tunnel = k.optionalBool("tunnel", source.tunnel());
        PgEndpoint base = source.pg();
        String pgHost = host.isLocal() || tunnel ? "127.0.0.1" : address;
        PgEndpoint pg = clusters.pg(k.section("pg"), new PgEndpoint(pgHost, base.port(), base.user(), base.database(),
                base.sslmode()));
        String remote = ClusterReader.remoteName(host);
        Path dataDir = k.requirePath("dataDir", "set it to the standby's data directory (SHOW data_directory on it)",
                remote);
        Path binDir = k.optionalPath("binDir", remote).orElse(source.binDir());
        Keys t = k.requireMap("target", "add target: { dataDir: ... }, where the standby's data directory of"
                + " PostgreSQL " + target.version() + " goes, e.g. " + target.dataDir());
        t.rejectUnknown(STANDBY_TARGET_KEYS);
        Path targetData = t.requirePath("dataDir", "set it to where the standby's data directory of PostgreSQL "
                + target.version() + " goes, e.g. " + target.dataDir(), remote);
        Path targetBin = t.optionalPath("binDir", remote).orElse(target.binDir());
        if (targetData.equals(dataDir) || targetData.startsWith(dataDir) || dataDir.startsWith(targetData)) {
            throw t.fail("dataDir", "must lie apart from the standby's dataDir (" + dataDir + "): the old standby is"
                    + " kept until cleanup, a way back");
        }
        if (targetData.getParent() == null) {
            throw t.fail("dataDir", "must not be / (pgmigrate's work directory goes beside it)");
        }
        return new Standby(name, host, pg, tunnel, dataDir, binDir, targetData, targetBin,
                k.optionalBool("rebuild", true));
    }
}
