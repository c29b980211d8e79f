package io.pgmigrate.execute;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.InPlaceUpgrade;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nothing starts the old cluster by accident after a --copy upgrade (a reboot, a DBA's habit: it would come up on the
 * production port beside the new one, with the data of before), and rollback --discard-new-writes puts back exactly
 * what was there. On real servers: a plain pg_ctl cluster (global/pg_control renamed, as pg_upgrade --link leaves it)
 * and a Debian cluster made with pg_createcluster (start.conf). systemd cannot run on these machines (no PID 1
 * systemd): its argument lists are proven by OldClusterFenceTest and InPlaceExecutionTest.
 */
class OldClusterFenceIT {
    @TempDir
    Path dir;

    @Test
    void aPlainPgCtlClusterCannotStartAfterTheUpgradeUntilTheRollbackGoesBack() throws Exception {
        try (PgCluster pg = InPlaceUpgrade.seededCluster()) {
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "fence", pg, new InPlaceUpgrade.Options("copy", null, null,
                    null));
            Path control = pg.dataDir().resolve("global/pg_control");
            try {
                CliRun run = up.execute();
                assertThat(run.exitCode()).as(run.out()).isZero();
                assertThat(run.out()).contains("outage.fence-old: Fence the old cluster: its global/pg_control renamed");
                assertThat(InPlaceUpgrade.serverMajor(pg.port())).isEqualTo(18);
                assertThat(control).doesNotExist();
                assertThat(pg.dataDir().resolve("global/pg_control.old")).exists();

                // someone starts the old cluster by hand (on another port, so only the fence can stop it)
                OsUser.Result start = OsUser.runAsOwner(List.of(pg.binDir().resolve("pg_ctl").toString(), "start",
                        "-D", pg.dataDir().toString(), "-w", "-t", "30", "-o", "-p " + PgCluster.freePort()
                                + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + pg.root()), true);
                assertThat(start.exitCode()).as(start.output()).isNotZero();
                assertThat(pg.dataDir().resolve("postmaster.pid")).doesNotExist();

                CliRun refused = up.run("rollback");
                assertThat(refused.exitCode()).isEqualTo(4);
                assertThat(InPlaceUpgrade.summary(refused)).contains("cannot roll back",
                        "pgmigrate rollback --discard-new-writes", "Nothing was changed");
                assertThat(control).doesNotExist();

                CliRun back = up.run("rollback", "--discard-new-writes");
                assertThat(back.exitCode()).as(back.out()).isZero();
                assertThat(InPlaceUpgrade.summary(back)).contains("stopped the new cluster",
                        "renamed global/pg_control.old back to global/pg_control", "started the old cluster",
                        "the new cluster's writes were discarded");
                assertThat(control).exists();
                assertThat(pg.dataDir().resolve("global/pg_control.old")).doesNotExist();
                assertThat(InPlaceUpgrade.serverMajor(pg.port())).isEqualTo(15);
                assertThat(ledgerRows(pg.port())).isEqualTo(1000);
                assertThat(up.newData()).doesNotExist();
            } finally {
                stopIfRunning(Toolchain.binDir(18), up.newData());
            }
        }
    }

    /**
     * A Debian cluster (pg_createcluster 15 NAME, inventory service: pg_ctlcluster): the new cluster becomes Debian
     * cluster 18/NAME with the old one's start.conf, the old one is disabled (pg_ctlcluster refuses it); the rollback
     * restores the old start.conf byte for byte and removes 18/NAME. The new cluster runs from the toolchain's build
     * (postgresql-common would look for /usr/lib/postgresql/18, which this machine does not have), so it is checked by
     * its files and its server rather than by pg_ctlcluster 18.
     */
    @Test
    void aDebianClusterIsDisabledAfterTheUpgradeAndTheNewOneStartsAtBootUntilTheRollback() throws Exception {
        Debian d = new Debian();
        try {
            String originalStartConf = d.createAndUpgrade();

            CliRun back = d.pgmigrate("rollback", "--discard-new-writes");
            assertThat(back.exitCode()).as(back.out() + back.err()).isZero();
            assertThat(InPlaceUpgrade.summary(back)).contains("restored the old cluster's start.conf (auto)",
                    "started the old cluster", "removed the new cluster's configuration directory " + d.newConf);
            assertThat(Files.readString(d.oldConf.resolve("start.conf"))).isEqualTo(originalStartConf);
            assertThat(d.oldConf.resolve("start.conf.pgmigrate")).doesNotExist();
            assertThat(d.newConf).doesNotExist();
            assertThat(d.newData).doesNotExist();
            assertThat(InPlaceUpgrade.serverMajor(d.port)).isEqualTo(15);
            assertThat(ledgerRows(d.port)).isEqualTo(1000);
            assertThat(OsUser.run(List.of("pg_lsclusters", "-h", "15", d.name), false).output())
                    .as("postgresql-common sees it online again").contains("online");
        } finally {
            d.drop();
        }
    }

    /** cleanup deletes the old cluster's data files and leaves it disabled; there is no going back after it. */
    @Test
    void afterCleanupTheOldDebianClusterStaysDisabledAndTheWayBackIsRefused() throws Exception {
        Debian d = new Debian();
        try {
            d.createAndUpgrade();
            CliRun cleanup = d.pgmigrate("cleanup");
            assertThat(cleanup.exitCode()).as(cleanup.out() + cleanup.err()).isZero();
            assertThat(d.oldData.resolve("base")).doesNotExist();
            assertThat(mode(Files.readString(d.oldConf.resolve("start.conf")))).isEqualTo("disabled");
            assertThat(mode(Files.readString(d.newConf.resolve("start.conf")))).isEqualTo("auto");

            CliRun back = d.pgmigrate("rollback", "--discard-new-writes");
            assertThat(back.exitCode()).isEqualTo(4);
            assertThat(InPlaceUpgrade.summary(back)).contains("cleaned up", "deleted the old cluster",
                    "Nothing was changed");
            assertThat(mode(Files.readString(d.oldConf.resolve("start.conf")))).isEqualTo("disabled");
            assertThat(InPlaceUpgrade.serverMajor(d.port)).isEqualTo(18);
        } finally {
            d.drop();
        }
    }

    /** A Debian cluster of this machine's postgresql-common, its inventory and plan, and its removal. */
    private final class Debian {
        final String name = "fence" + ThreadLocalRandom.current().nextInt(100000, 999999);
        final int port = PgCluster.freePort();
        final Path oldConf = Path.of("/etc/postgresql/15", name);
        final Path newConf = Path.of("/etc/postgresql/18", name);
        final Path oldData = Path.of("/var/lib/postgresql/15", name);
        final Path newData = Path.of("/var/lib/postgresql/18", name);
        Path inventory;
        Path planFile;

        Debian() {
            assumeTrue(OsUser.isRoot() && Files.isExecutable(Path.of("/usr/bin/pg_createcluster")),
                    "needs postgresql-common and root (pg_createcluster)");
        }

        /**
         * pg_createcluster 15 NAME, seeded, planned and upgraded with --copy; checks the fence. Returns the old
         * cluster's start.conf as pg_createcluster wrote it.
         */
        String createAndUpgrade() throws Exception {
            OsUser.run(List.of("pg_createcluster", "15", name, "-p", String.valueOf(port), "--start", "--",
                    "--auth=trust"), false);
            String originalStartConf = Files.readString(oldConf.resolve("start.conf"));
            assertThat(mode(originalStartConf)).isEqualTo("auto");
            OsUser.runAsOwner(List.of("/usr/lib/postgresql/15/bin/psql", "-h", "127.0.0.1", "-p",
                    String.valueOf(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-c", "CREATE DATABASE shop",
                    "-c", "\\c shop",
                    "-c", "CREATE TABLE ledger AS SELECT i AS id FROM generate_series(1, 1000) i",
                    "-c", "ANALYZE ledger"), false);

            inventory = TestInventory.write(dir.resolve("debian.yaml"), "name: debian-" + name + "\n"
                    + "strategy: pg-upgrade\n"
                    + "source:\n"
                    + TestInventory.sshHost(TestSshd.shared())
                    + "  pg: { host: 127.0.0.1, port: " + port + ", user: postgres, database: postgres,"
                    + " sslmode: disable }\n"
                    + "  dataDir: " + oldData + "\n"
                    + "  binDir: /usr/lib/postgresql/15/bin\n"
                    + "  configFile: " + oldConf.resolve("postgresql.conf") + "\n"
                    + "  service: pg_ctlcluster\n"
                    + "target:\n"
                    + "  version: 18\n"
                    + "  binDir: " + Toolchain.binDir(18) + "\n"
                    + "  dataDir: " + newData + "\n"
                    + "  port: " + PgCluster.freePort() + "\n"
                    + "options:\n"
                    + "  mode: copy\n"
                    + "  jobs: 2\n");
            CliRun plan = CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
            assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
            planFile = dir.resolve("debian-" + name + ".plan.json");
            assertThat(Files.readString(dir.resolve("debian-" + name + ".plan.md"))).contains("outage.fence-old",
                    "start.conf.pgmigrate");

            CliRun run = pgmigrate("execute");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(InPlaceUpgrade.serverMajor(port)).isEqualTo(18);
            assertThat(ledgerRows(port)).isEqualTo(1000);
            assertThat(mode(Files.readString(oldConf.resolve("start.conf")))).isEqualTo("disabled");
            assertThat(Files.readString(newConf.resolve("start.conf"))).as("the new cluster starts at boot as the"
                    + " old one did").isEqualTo(originalStartConf);
            assertThat(Files.readString(newConf.resolve("postgresql.conf"))).contains("data_directory = '" + newData
                    + "'");
            assertThat(newConf.resolve("pg_hba.conf")).exists();
            // the DBA's habit, or the boot: refused
            OsUser.Result habit = OsUser.runAsOwner(List.of("pg_ctlcluster", "15", name, "start"), true);
            assertThat(habit.exitCode()).isNotZero();
            assertThat(habit.output()).contains("Cluster is disabled");
            assertThat(InPlaceUpgrade.serverMajor(port)).isEqualTo(18);
            return originalStartConf;
        }

        CliRun pgmigrate(String... command) {
            List<String> args = new java.util.ArrayList<>(List.of(command));
            args.addAll(List.of("-i", inventory.toString(), planFile.toString()));
            return CliRun.of(args.toArray(String[]::new));
        }

        void drop() {
            stopIfRunning(Toolchain.binDir(18), newData);
            OsUser.run(List.of("pg_dropcluster", "--stop", "15", name), true);
            OsUser.run(List.of("rm", "-rf", "--", newConf.toString(), newData.toString(), oldConf.toString(),
                    oldData.toString(), "/var/lib/postgresql/18/pgmigrate-debian-" + name), true);
            // the version directories the upgrade made, when nothing else is in them
            OsUser.run(List.of("rmdir", "--ignore-fail-on-non-empty", "--", "/etc/postgresql/18",
                    "/var/lib/postgresql/18"), true);
        }
    }

    /** The mode a start.conf sets: its first line that is not a comment. */
    private static String mode(String startConf) {
        return startConf.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).findFirst()
                .orElse("auto");
    }

    private static long ledgerRows(int port) throws Exception {
        try (Connection c = DriverManager.getConnection(InPlaceUpgrade.shopUrl(port), "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void stopIfRunning(Path binDir, Path data) {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            OsUser.runAsOwner(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m",
                    "immediate", "-w"), true);
        }
    }
}
