package io.pgmigrate.testing;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The setup the integration tests that break an in-place execution on purpose share: a seeded PostgreSQL 15 cluster
 * (database {@code shop} with {@link LedgerClient}'s ledger table and some rows in it), an inventory over the test sshd
 * for PostgreSQL 18 beside it (optionally behind a {@link TestPgbouncer}, reached through a proxy, or with a
 * {@link BinCopy} of the target's binaries), its plan made without the schema rehearsal, and the paths and commands
 * the tests look at.
 */
public final class InPlaceUpgrade {
    /** How the inventory differs from a plain {@code --link} upgrade. */
    public record Options(String mode, TestPgbouncer bouncer, Path targetBinDir, Integer pgPort) {
        public static Options link() {
            return new Options("link", null, null, null);
        }

        public Options behind(TestPgbouncer b) {
            return new Options(mode, b, targetBinDir, pgPort);
        }

        /** The target's binaries are these (a {@link BinCopy}). */
        public Options targetBin(Path dir) {
            return new Options(mode, bouncer, dir, pgPort);
        }

        /** pgmigrate reaches the source at this port of 127.0.0.1 (a proxy in front of it). */
        public Options reachedAt(int port) {
            return new Options(mode, bouncer, targetBinDir, port);
        }
    }

    private final Path dir;
    private final String name;
    private final PgCluster pg;
    private final Path inventory;

    private InPlaceUpgrade(Path dir, String name, PgCluster pg, Path inventory) {
        this.dir = dir;
        this.name = name;
        this.pg = pg;
        this.inventory = inventory;
    }

    /** A PostgreSQL 15 cluster, started and seeded. */
    public static PgCluster seededCluster() {
        PgCluster pg = PgCluster.start(15);
        seed(pg);
        return pg;
    }

    /** Database shop: the ledger table with 1000 rows of ids no {@link LedgerClient} uses (negative), analysed. */
    public static void seed(PgCluster pg) {
        pg.createDatabase("shop");
        pg.sql("shop", LedgerClient.TABLE_DDL,
                "INSERT INTO ledger SELECT -i, now(), 0 FROM generate_series(1, 1000) i",
                "ANALYZE ledger");
    }

    /** Writes the inventory and plans it (no schema rehearsal); the plan must be ready. */
    public static InPlaceUpgrade plan(Path dir, String name, PgCluster pg, Options o) {
        Path inv = TestInventory.write(dir, name, pg, TestInventory.sshHost(TestSshd.shared()), o.mode(),
                PgCluster.freePort(), o.pgPort() == null ? pg.port() : o.pgPort(),
                o.targetBinDir() == null ? Toolchain.binDir(18) : o.targetBinDir());
        if (o.bouncer() != null) {
            try {
                Files.writeString(inv, Files.readString(inv) + o.bouncer().inventoryYaml());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inv.toString(), "-o", dir.toString());
        assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
        return new InPlaceUpgrade(dir, name, pg, inv);
    }

    public PgCluster pg() {
        return pg;
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

    public List<JournalEvent> events() {
        return Journal.read(journal());
    }

    /** The plan's work directory on the host (pg_upgrade's scripts, the new server's log, the steps' state). */
    public Path workDir() {
        return pg.root().resolve("pgmigrate-" + name);
    }

    /** Where the journal's execution keeps its detached steps' files (NAME.pid, NAME.out, NAME.rc). */
    public Path stepsDir() {
        return workDir().resolve("steps").resolve(Journal.state(journal()).execution());
    }

    public Path newData() {
        return pg.root().resolve("data18");
    }

    /** Runs a pgmigrate command on this plan in-process: {@code command [extra…] -i INVENTORY PLAN}. */
    public CliRun run(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(extra));
        args.addAll(List.of("-i", inventory.toString(), planFile().toString()));
        return CliRun.of(args.toArray(String[]::new));
    }

    public CliRun execute(String... extra) {
        return run("execute", extra);
    }

    /** Starts {@code pgmigrate COMMAND} on this plan as its own process (target/pgmigrate.jar), output to a file. */
    public Process launch(String command, Path output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getenv().getOrDefault("PGMIGRATE_PROJECT_DIR", "."), "target", "pgmigrate.jar");
        return new ProcessBuilder(java, "-jar", jar.toString(), command, "-i", inventory.toString(),
                planFile().toString()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** The one-line summary a command ends with (its last line). */
    public static String summary(CliRun run) {
        List<String> lines = run.out().lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** The major version of the server answering at 127.0.0.1:port. */
    public static int serverMajor(int port) {
        try (io.pgmigrate.transport.SqlSession s = io.pgmigrate.transport.JdbcSqlSession.open("127.0.0.1", port,
                "postgres", "postgres", "disable")) {
            return (int) (s.query("SHOW server_version_num").get(0).getLong("server_version_num") / 10000);
        }
    }

    /** The JDBC URL of database shop at 127.0.0.1:port (the cluster, or pgbouncer in front of it). */
    public static String shopUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/shop";
    }
}
