package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.InPlaceUpgrade;
import io.pgmigrate.testing.KilledRun;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgmigrate deletes only the clusters it made, on real servers over the test sshd: the new cluster's system identifier
 * is journaled as initdb finishes; a rollback whose inventory now points the new data directory at another running
 * cluster, and a cleanup whose old data directory now holds another cluster, refuse in one line and leave every file
 * of that cluster where it was (and stop nothing); with the directories as pgmigrate left them, both do their work.
 */
class ForeignClusterIT {
    private static final Duration LIMIT = Duration.ofMinutes(5);
    @TempDir
    Path dir;

    @Test
    void rollbackAndCleanupRefuseAnotherClusterWhereTheEditedInventoryPoints() throws Exception {
        try (PgCluster pg = InPlaceUpgrade.seededCluster(); PgCluster other = PgCluster.start(18)) {
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "foreign", pg, InPlaceUpgrade.Options.link());
            String approved = PlanJson.readVerified(up.planFile()).digest();
            KilledRun.Result killed = KilledRun.run(List.of("execute", "--expect-digest", approved, "-i",
                    up.inventory().toString(), up.planFile().toString()), KilledRun.Point.finished("prepare.initdb"),
                    LIMIT, null);
            assertThat(killed.killed()).as(killed.console()).isTrue();

            JournalEvent.CreatedCluster made = up.events().stream()
                    .filter(e -> e instanceof JournalEvent.StepFinished f && f.step().equals("prepare.initdb"))
                    .map(e -> ((JournalEvent.StepFinished) e).createdCluster()).findFirst().orElseThrow();
            assertThat(made).isEqualTo(new JournalEvent.CreatedCluster(up.newData().toString(), 18,
                    systemIdentifier(up.newData())));

            Map<Path, Long> otherFiles = files(other.dataDir());
            String inventory = Files.readString(up.inventory());
            Files.writeString(up.inventory(), inventory.replace(up.newData().toString(), other.dataDir().toString()));

            CliRun rollback = up.run("rollback");
            assertThat(rollback.exitCode()).as(rollback.err() + rollback.out()).isEqualTo(4);
            assertThat(InPlaceUpgrade.summary(rollback)).contains(other.dataDir() + " was not made by this execution"
                    + " of pgmigrate (its journal records no cluster made there); it holds PostgreSQL 18, system"
                    + " identifier " + systemIdentifier(other.dataDir()) + "; nothing there was deleted or stopped");
            CliRun cleanup = up.run("cleanup");
            assertThat(cleanup.exitCode()).isEqualTo(4);
            assertThat(InPlaceUpgrade.summary(cleanup)).contains("cannot clean up", "Nothing was changed");

            assertThat(files(other.dataDir()).keySet()).as("every file of the other cluster is still there")
                    .containsAll(otherFiles.keySet().stream().filter(f -> !volatileFile(f)).toList())
                    .contains(Path.of("PG_VERSION"), Path.of("global/pg_control"));
            assertThat(InPlaceUpgrade.serverMajor(other.port())).as("the other cluster was not stopped").isEqualTo(18);
            assertThat(up.newData().resolve("PG_VERSION")).as("pgmigrate's own new cluster was not touched either")
                    .exists();

            Files.writeString(up.inventory(), inventory);
            CliRun back = up.run("rollback");
            assertThat(back.exitCode()).as(back.err() + back.out()).isZero();
            assertThat(back.out()).contains("removed the new data directory " + up.newData());
            assertThat(up.newData()).doesNotExist();
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(15);
        }
    }

    @Test
    void cleanupRefusesAnotherClusterInTheOldDataDirectory() throws Exception {
        try (PgCluster pg = InPlaceUpgrade.seededCluster(); PgCluster other = PgCluster.start(15)) {
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "swapped", pg, InPlaceUpgrade.Options.link());
            CliRun run = up.execute("--expect-digest", approvedDigest(dir.resolve("swapped.plan.md")));
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();

            // the old data directory is moved aside and another (stopped) cluster put in its place
            other.stopServer();
            Path old = pg.dataDir();
            Path aside = pg.root().resolve("data.aside");
            Files.move(old, aside);
            Files.move(other.dataDir(), old);
            Map<Path, Long> otherFiles = files(old);

            CliRun refused = up.run("cleanup");
            assertThat(refused.exitCode()).as(refused.err() + refused.out()).isEqualTo(4);
            assertThat(InPlaceUpgrade.summary(refused)).contains("step cleanup.delete-old refused: " + old
                    + " does not hold the old cluster the plan was made for (PostgreSQL 15, system identifier "
                    + systemIdentifier(aside) + "): its system identifier is " + systemIdentifier(old)
                    + ", not " + systemIdentifier(aside) + "; nothing was deleted");
            assertThat(files(old)).as("every file of the other cluster is still there").isEqualTo(otherFiles);

            Files.move(old, other.dataDir());
            Files.move(aside, old);
            CliRun clean = up.run("cleanup");
            assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
            assertThat(old).as("the old cluster (its pg_control renamed by --link) was deleted").doesNotExist();
            assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);
            pg.stopUpgraded();
        }
    }

    /** The digest printed in the reviewed Markdown plan. */
    static String approvedDigest(Path md) throws IOException {
        Matcher m = Pattern.compile("\\| Digest \\| `(sha256:[0-9a-f]{64})` \\|").matcher(Files.readString(md));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** pg_controldata's "Database system identifier" (of pg_control, or of pg_control.old after --link). */
    private static String systemIdentifier(Path data) throws IOException {
        Path control = data.resolve("global/pg_control");
        if (!Files.exists(control)) {
            control = data.resolve("global/pg_control.old");
        }
        byte[] b = Files.readAllBytes(control);
        long id = java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.nativeOrder()).getLong();
        String viaTool = OsUser.runAsOwner(List.of(Toolchain.binDir(18).resolve("pg_controldata").toString(),
                data.toString()), true).output();
        Matcher m = Pattern.compile("Database system identifier:\\s+(\\d+)").matcher(viaTool);
        if (m.find()) {
            assertThat(m.group(1)).isEqualTo(Long.toUnsignedString(id));
        }
        return Long.toUnsignedString(id);
    }

    /** Every regular file under the directory with its size. */
    private static Map<Path, Long> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toMap(p -> root.relativize(p), p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return -1L;
                }
            }));
        }
    }

    /** Files a running server may remove by itself (temporary statistics, recycled WAL segments). */
    private static boolean volatileFile(Path relative) {
        String p = relative.toString();
        return p.startsWith("pg_stat_tmp") || p.startsWith("pg_wal") || p.startsWith("pg_logical");
    }
}
