package io.pgmigrate.testing.hosts;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Dumps;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.Toolchain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An in-place upgrade of a PostgreSQL 15 cluster on a {@link TestHost}, as a DBA would lay it out on a Debian host:
 * the old cluster in {@code /var/lib/postgresql/15/main} on port 5432, the new one planned for
 * {@code /var/lib/postgresql/18/main} (port 5433 while it is upgraded). pgmigrate reaches the host only over SSH, as
 * postgres with the test key, and PostgreSQL through its SSH tunnel to 127.0.0.1 there. Database shop is seeded with
 * an enum, a table with an index and a sequence, and optionally a larger table {@code big} (its rows are compared
 * by count and checksum, the rest by a dump).
 */
public final class HostUpgrade {
    public static final String OLD_DATA = "/var/lib/postgresql/15/main";
    public static final String NEW_DATA = "/var/lib/postgresql/18/main";
    public static final int PORT = 5432;

    private final TestHost host;
    private final HostCluster cluster;
    private final Path dir;
    private final String name;
    private final Path inventory;

    private HostUpgrade(TestHost host, HostCluster cluster, Path dir, String name, Path inventory) {
        this.host = host;
        this.cluster = cluster;
        this.dir = dir;
        this.name = name;
        this.inventory = inventory;
    }

    /**
     * Starts and seeds the cluster on the host ({@code bigRows} rows of about 100 bytes in table big), writes the
     * inventory for {@code mode} and plans it ({@code rehearsal}: with the schema rehearsal, on the host).
     */
    public static HostUpgrade plan(TestHost host, Path knownHosts, Path dir, String name, String mode, int bigRows,
                                   boolean rehearsal) {
        HostCluster pg = HostCluster.start(host, 15, OLD_DATA, PORT);
        host.exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "755", "/var/lib/postgresql/18");
        pg.sql("postgres", "CREATE DATABASE shop");
        pg.sql("shop",
                "CREATE TYPE state AS ENUM ('new', 'paid')",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, s state, total numeric(10,2), note text)",
                "CREATE INDEX ON orders (total)",
                "INSERT INTO orders (s, total, note) SELECT 'paid', i, 'order ' || i FROM generate_series(1, 20000) i",
                "CREATE TABLE big (id bigint PRIMARY KEY, payload text)",
                "INSERT INTO big SELECT i, md5(i::text) || md5((-i)::text) || md5((i * 7)::text) FROM generate_series(1, "
                        + bigRows + ") i",
                "ANALYZE");
        String yaml = "name: " + name + "\n"
                + "strategy: pg-upgrade\n"
                + "source:\n"
                + host.inventoryYaml(knownHosts)
                + "  tunnel: true\n"
                + "  pg: { host: 127.0.0.1, port: " + PORT + ", user: postgres, database: postgres, sslmode: disable }\n"
                + "  dataDir: " + OLD_DATA + "\n"
                + "  binDir: " + pg.binDir() + "\n"
                + "target:\n"
                + "  version: 18\n"
                + "  binDir: " + Toolchain.binDir(18) + "\n"
                + "  dataDir: " + NEW_DATA + "\n"
                + "  port: 5433\n"
                + "options:\n"
                + "  mode: " + mode + "\n"
                + "  jobs: 2\n";
        Path inv = TestInventory.write(dir.resolve(name + ".yaml"), yaml);
        List<String> args = new ArrayList<>(List.of("plan"));
        if (!rehearsal) {
            args.add("--no-rehearsal");
        }
        args.addAll(List.of("-i", inv.toString(), "-o", dir.toString()));
        CliRun plan = CliRun.of(args.toArray(String[]::new));
        assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
        return new HostUpgrade(host, pg, dir, name, inv);
    }

    public TestHost host() {
        return host;
    }

    public HostCluster cluster() {
        return cluster;
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

    /** The plan's work directory, on the host. */
    public String workDir() {
        return "/var/lib/postgresql/18/pgmigrate-" + name;
    }

    /** Where the journal's execution keeps its detached steps' files on the host. */
    public String stepsDir() {
        return workDir() + "/steps/" + Journal.state(journal()).execution();
    }

    /** {@code pgmigrate COMMAND [extra…] -i INVENTORY PLAN} as arguments (for a run in a process of its own). */
    public List<String> args(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(extra));
        args.addAll(List.of("-i", inventory.toString(), planFile().toString()));
        return args;
    }

    /** Runs a pgmigrate command on this plan in-process. */
    public CliRun run(String command, String... extra) {
        return CliRun.of(args(command, extra).toArray(String[]::new));
    }

    /**
     * What a DBA compares before and after: database shop dumped on the host by PostgreSQL 18's pg_dump (big's rows
     * left out of it), then big's row count and a checksum of its rows.
     */
    public String data() {
        String dump = host.execAsPostgres(Toolchain.binDir(18).resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(PORT), "-U", "postgres", "--no-sync", "--exclude-table-data=public.big", "shop");
        return Dumps.comparable(dump) + "\n-- big: " + cluster.strings("shop", "SELECT count(*) || ' rows, checksum '"
                + " || sum(('x' || substr(md5(b::text), 1, 8))::bit(32)::int::bigint) FROM big b").get(0);
    }

    /** The major version and data directory of the server answering on the host's port 5432. */
    public String serving() {
        return cluster.longValue("postgres", "SHOW server_version_num") / 10000 + " "
                + cluster.strings("postgres", "SHOW data_directory").get(0);
    }

    /** Whether a pg_upgrade process runs on the host. */
    public boolean pgUpgradeRuns() {
        return !host.exec("sh", "-c", "cat /proc/[0-9]*/comm 2>/dev/null | grep -cx pg_upgrade || true").strip()
                .equals("0");
    }

    /** Whether a path exists on the host. */
    public boolean existsOnHost(String path) {
        return host.exec("sh", "-c", "test -e \"$1\" && echo yes || echo no", "sh", path).strip().equals("yes");
    }
}
