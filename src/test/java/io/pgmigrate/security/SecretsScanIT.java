package io.pgmigrate.security;

import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * pgmigrate connects with a password (a role with scram-sha-256 in pg_hba.conf, the password in PGPASSWORD of
 * pgmigrate's own process, target/pgmigrate.jar): {@code plan} (with the schema rehearsal) and {@code execute} in
 * place, PostgreSQL 15 → 18. The password is in no file pgmigrate wrote (plan .json/.md, journal, facts, reports,
 * everything under the cluster's root: the work directory, the new cluster, the servers' logs), not on its console, and
 * in the argument list of no process that ran meanwhile (every /proc/PID/cmdline, read every few milliseconds).
 */
class SecretsScanIT {
    private static final String PASSWORD = "pw-Zq7-" + Long.toHexString(System.nanoTime());
    private static final String USER = "migrator";

    @TempDir
    Path dir;

    @Test
    void thePasswordIsInNoFileConsoleOrArgumentList() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            ExecuteSeed.seed(pg);
            pg.sql("postgres", "SET log_statement = 'none'",
                    "CREATE ROLE " + USER + " SUPERUSER LOGIN PASSWORD '" + PASSWORD + "'");
            Path hba = pg.dataDir().resolve("pg_hba.conf");
            String rest = Files.readString(hba);
            Files.writeString(hba, "host all " + USER + " 127.0.0.1/32 scram-sha-256\n"
                    + "host all " + USER + " ::1/128 scram-sha-256\n" + rest);
            pg.sql("postgres", "SELECT pg_catalog.pg_reload_conf()");
            assertThatThrownBy(() -> JdbcSqlSession.open("127.0.0.1", pg.port(), USER, "postgres", "disable").close())
                    .as("without the password the role cannot connect").isInstanceOf(TransportException.class)
                    .hasMessageContaining("password");

            Path inv = TestInventory.write(dir, "secret", pg, TestInventory.localHost(), "link", PgCluster.freePort());
            Files.writeString(inv, Files.readString(inv).replace("user: postgres", "user: " + USER));

            Set<String> argv = ConcurrentHashMap.newKeySet();
            Thread sampler = new Thread(() -> sample(argv), "argv-sampler");
            sampler.setDaemon(true);
            sampler.start();
            String console;
            try {
                console = pgmigrate(dir.resolve("plan.out"), "plan", "-i", inv.toString(), "-o", dir.toString());
                console += pgmigrate(dir.resolve("execute.out"), "execute", "-i", inv.toString(),
                        dir.resolve("secret.plan.json").toString());
                console += pgmigrate(dir.resolve("verify.out"), "verify", "-i", inv.toString(),
                        dir.resolve("secret.plan.json").toString());
            } finally {
                sampler.interrupt();
                sampler.join(5000);
            }
            try {
                assertThat(console).contains("executed: the new cluster serves on port " + pg.port())
                        .doesNotContain(PASSWORD);
                assertThat(argv).as("processes seen").anyMatch(a -> a.contains("pg_upgrade"))
                        .anyMatch(a -> a.contains("pg_dump")).noneMatch(a -> a.contains(PASSWORD));
                List<Path> written = files(dir);
                assertThat(written).as("pgmigrate's files").anyMatch(p -> p.toString().endsWith(".plan.md"))
                        .anyMatch(p -> p.toString().endsWith(".journal.jsonl"))
                        .anyMatch(p -> p.toString().endsWith(".verify.md"));
                written.addAll(files(pg.root()));
                assertThat(written).as("the work directory on the host")
                        .anyMatch(p -> p.toString().contains("pgmigrate-secret"));
                for (Path f : written) {
                    assertThat(contains(f, PASSWORD)).as(f.toString()).isFalse();
                }
            } finally {
                pg.stopUpgraded();
            }
        }
    }

    /** Runs target/pgmigrate.jar with the password in PGPASSWORD; its console (stdout and stderr). */
    private static String pgmigrate(Path out, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getenv().getOrDefault("PGMIGRATE_PROJECT_DIR", "."), "target", "pgmigrate.jar");
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PGPASSWORD", PASSWORD);
        Process p = pb.start();
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        String console = Files.readString(out);
        assertThat(p.exitValue()).as(String.join(" ", args) + ":\n" + console).isZero();
        return console;
    }

    /** Every process's argument list, read again and again until interrupted. */
    private static void sample(Set<String> argv) {
        while (!Thread.currentThread().isInterrupted()) {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                    try {
                        byte[] b = Files.readAllBytes(p.resolve("cmdline"));
                        if (b.length > 0) {
                            argv.add(new String(b, StandardCharsets.UTF_8).replace('\0', ' '));
                        }
                    } catch (IOException gone) {
                        // the process ended
                    }
                });
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
    }

    private static boolean contains(Path f, String needle) throws IOException {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        byte[] b;
        try {
            b = Files.readAllBytes(f);
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
        outer:
        for (int i = 0; i + n.length <= b.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (b[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The seeded database the upgrade carries (a table, an index, a view). */
    private static final class ExecuteSeed {
        static void seed(PgCluster pg) {
            pg.createDatabase("shop");
            pg.sql("shop", "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric)",
                    "INSERT INTO orders (total) SELECT g FROM generate_series(1, 1000) g",
                    "CREATE VIEW big AS SELECT * FROM orders WHERE total > 500");
        }
    }
}
