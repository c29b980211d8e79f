package io.pgmigrate.testing.hosts;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.TestInventory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL 15 primary on host db1 with streaming standbys on hosts of their own (issue #15), each named after its
 * host (its cluster_name, the application name the primary knows it by), the first synchronous
 * ({@code synchronous_standby_names} names it), the second streaming from a replication slot ({@code NAME_slot});
 * db1's postgres may SSH to every standby's (rsync). Seeded with a
 * little data, planned in place; what a DBA looks at afterwards.
 */
public final class HostReplicaSet {
    public static final String OLD_DATA = "/var/lib/postgresql/15/main";
    public static final String NEW_DATA = "/var/lib/postgresql/18/main";

    private final HostCluster primary;
    private final List<HostCluster> standbys;
    private final Path dir;
    private final String name;
    private final Path inventory;

    private HostReplicaSet(HostCluster primary, List<HostCluster> standbys, Path dir, String name, Path inventory) {
        this.primary = primary;
        this.standbys = standbys;
        this.dir = dir;
        this.name = name;
        this.inventory = inventory;
    }

    /** Starts the primary on {@code hosts[0]} and a standby on each other host, seeds, writes the inventory. */
    public static HostReplicaSet start(TestHosts all, List<String> hosts, Path dir, String name, String mode,
                                       int rows) {
        return start(all, hosts, dir, name, mode, rows, 0, "");
    }

    /**
     * As above, with {@code pgbench -i -s SCALE} in database shop too (before the standbys are made; 0: none), and
     * more inventory lines.
     */
    public static HostReplicaSet start(TestHosts all, List<String> hosts, Path dir, String name, String mode,
                                       int rows, int pgbenchScale, String moreInventory) {
        TestHost db1 = all.host(hosts.get(0));
        HostCluster primary = HostCluster.start(db1, 15, OLD_DATA, 5432);
        primary.sql("postgres", "CREATE DATABASE shop");
        primary.sql("shop", "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(10,2), note text)",
                "INSERT INTO orders (total, note) SELECT i, 'order ' || i FROM generate_series(1, " + rows + ") i",
                "ANALYZE");
        if (pgbenchScale > 0) {
            db1.execAsPostgres(primary.binDir() + "/pgbench", "-i", "-q", "-s", String.valueOf(pgbenchScale), "-h",
                    "127.0.0.1", "-p", "5432", "-U", "postgres", "shop");
        }
        List<HostCluster> standbys = new ArrayList<>();
        for (String h : hosts.subList(1, hosts.size())) {
            TestHost host = all.host(h);
            List<String> config = new ArrayList<>(List.of("cluster_name = '" + h + "'", "hot_standby_feedback = on"));
            if (standbys.size() == 1) {
                // the second standby streams from a replication slot of its own, which pg_upgrade does not carry over
                primary.sql("postgres", "SELECT pg_create_physical_replication_slot('" + h + "_slot')");
                config.add("primary_slot_name = '" + h + "_slot'");
            }
            standbys.add(HostCluster.standbyOf(primary, host, OLD_DATA, 5432, config));
            host.acceptSshFrom(db1);
        }
        for (String h : hosts) {
            all.host(h).exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", "/var/lib/postgresql/18");
        }
        primary.sql("postgres", "ALTER SYSTEM SET synchronous_standby_names = '" + hosts.get(1) + "'",
                "SELECT pg_reload_conf()");
        Path inv = TestInventory.inPlaceOnHosts(dir.resolve(name + ".yaml"), name, primary, standbys,
                all.knownHosts(), mode, moreInventory);
        return new HostReplicaSet(primary, standbys, dir, name, inv);
    }

    public CliRun plan() {
        return CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
    }

    public HostCluster primary() {
        return primary;
    }

    public List<HostCluster> standbys() {
        return standbys;
    }

    public Path inventory() {
        return inventory;
    }

    public Path planFile() {
        return dir.resolve(name + ".plan.json");
    }

    public Path journal() {
        return dir.resolve(name + ".journal.jsonl");
    }

    public List<String> args(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(extra));
        args.addAll(List.of("-i", inventory.toString(), planFile().toString()));
        return args;
    }

    public CliRun run(String command, String... extra) {
        return CliRun.of(args(command, extra).toArray(String[]::new));
    }

    /** The primary's pg_stat_replication: "name state sync_state" per standby, by name. */
    public List<String> replication() {
        return primary.strings("postgres", "SELECT application_name || ' ' || state || ' ' || sync_state"
                + " FROM pg_stat_replication ORDER BY application_name");
    }

    /** Waits until every standby streams with its replay at the primary's current WAL position. */
    public void awaitNoLag(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long behind = primary.longValue("postgres", "SELECT count(*) FROM pg_stat_replication"
                    + " WHERE state <> 'streaming' OR replay_lsn < pg_current_wal_lsn()");
            long streaming = primary.longValue("postgres", "SELECT count(*) FROM pg_stat_replication");
            if (behind == 0 && streaming == standbys.size()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("standbys not caught up within " + limit + ": " + replication());
            }
            sleep(200);
        }
    }

    /** The major version of the server answering on the standby's port (or the primary's). */
    public static long major(HostCluster c) {
        return c.longValue("postgres", "SHOW server_version_num") / 10000;
    }

    /** Whether a row with this note becomes visible on the standby within 10 s. */
    public static boolean sees(HostCluster standby, String note) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (standby.longValue("shop", "SELECT count(*) FROM orders WHERE note = '" + note + "'") == 1) {
                return true;
            }
            sleep(100);
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asserts the plan is ready. */
    public HostReplicaSet planned() {
        CliRun plan = plan();
        assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
        return this;
    }
}
