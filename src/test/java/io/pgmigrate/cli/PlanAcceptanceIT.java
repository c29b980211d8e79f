package io.pgmigrate.cli;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Step;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #2's acceptance on real servers: a PostgreSQL 15 cluster without data checksums, with an
 * aclitem column, a regproc column and a prepared transaction, planned to PostgreSQL 18.
 */
class PlanAcceptanceIT {
    static PgCluster source;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSource() {
        source = PgCluster.start(15);
        source.createDatabase("shop");
    }

    @AfterAll
    static void stopSource() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void blockersAreNamedThenFixedAndPgUpgradeCheckAgrees() throws Exception {
        source.sql("shop",
                "CREATE TABLE acl_audit (id int PRIMARY KEY, perms aclitem)",
                "CREATE TABLE \"Event Hooks\" (id int PRIMARY KEY, handler regproc)",
                "BEGIN; INSERT INTO acl_audit VALUES (1, NULL); PREPARE TRANSACTION 'pgm-accept-1'");
        Path inventory = TestInventory.write(dir, "accept", source, TestInventory.sshHost(TestSshd.shared()), "link",
                PgCluster.freePort());
        Path out = dir.resolve("plans");

        CliRun blocked = CliRun.of("plan", "-i", inventory.toString(), "-o", out.toString());
        assertThat(blocked.exitCode()).as(blocked.err() + blocked.out()).isEqualTo(3);
        String md = Files.readString(out.resolve("accept.plan.md"));
        assertThat(md).contains("**Status: BLOCKED**", "acl_audit", "perms", "Event Hooks", "handler",
                "pgm-accept-1", "ROLLBACK PREPARED");
        assertThat(md.indexOf("### Blockers")).isLessThan(md.indexOf("## Steps"));
        Plan plan = PlanJson.read(Files.readString(out.resolve("accept.plan.json")));
        assertThat(argv(plan, "prepare.initdb")).contains("--no-data-checksums");
        assertThat(runPreflight(plan).exitCode()).as("pg_upgrade --check must fail too").isNotZero();

        source.sql("shop", "ROLLBACK PREPARED 'pgm-accept-1'", "ALTER TABLE acl_audit DROP COLUMN perms",
                "ALTER TABLE \"Event Hooks\" DROP COLUMN handler");
        CliRun ready = CliRun.of("plan", "-i", inventory.toString(), "-o", out.toString());
        assertThat(ready.exitCode()).as(ready.err() + ready.out()).isZero();
        assertThat(ready.out()).contains("READY");
        Plan good = PlanJson.read(Files.readString(out.resolve("accept.plan.json")));
        OsUser.Result check = runPreflight(good);
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("Clusters are compatible");
        assertThat(source.root().resolve("data18.pgmigrate-check")).doesNotExist();
    }

    @Test
    void twoPlansOfTheSameClusterDifferOnlyInTheTimestampLine() throws Exception {
        Path inventory = TestInventory.write(dir, "twice", source, TestInventory.localHost(), "swap", PgCluster.freePort());
        CliRun first = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.resolve("a").toString());
        CliRun second = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.resolve("b").toString());
        assertThat(first.exitCode()).as(first.err()).isIn(0, 3);
        assertThat(second.exitCode()).isEqualTo(first.exitCode());
        for (String file : List.of("twice.plan.json", "twice.plan.md")) {
            List<String> a = Files.readAllLines(dir.resolve("a").resolve(file));
            List<String> b = Files.readAllLines(dir.resolve("b").resolve(file));
            assertThat(a).hasSameSizeAs(b);
            List<Integer> differing = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).equals(b.get(i))) {
                    differing.add(i);
                }
            }
            assertThat(differing).as(file + ": " + differing.stream().map(i -> a.get(i) + " / " + b.get(i)).toList())
                    .hasSizeLessThanOrEqualTo(1);
            differing.forEach(i -> assertThat(a.get(i)).containsAnyOf("createdAt", "Created"));
        }
    }

    @Test
    void aDataDirectoryThatIsNotOneIsBadInput() throws Exception {
        Path notData = Files.createDirectories(dir.resolve("not-a-data-dir"));
        Path inventory = TestInventory.write(dir, "nodata", source, TestInventory.localHost(), "link", PgCluster.freePort());
        Files.writeString(inventory, Files.readString(inventory).replace("dataDir: " + source.dataDir() + "\n",
                "dataDir: " + notData + "\n"));
        CliRun run = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.resolve("plans").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("source.dataDir", notData.toString())
                .doesNotContain("Exception");
        assertThat(dir.resolve("plans")).doesNotExist();
    }

    @Test
    void targetBinariesOfTheWrongVersionAreBadInput() throws Exception {
        Path inventory = TestInventory.write(dir, "wrongbin", source, TestInventory.localHost(), "link", PgCluster.freePort());
        Files.writeString(inventory, Files.readString(inventory).replace("binDir: " + Toolchain.binDir(18),
                "binDir: " + Toolchain.binDir(15)));
        CliRun run = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.resolve("plans").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .contains(inventory + ": target.binDir: " + Toolchain.binDir(15) + " holds PostgreSQL 15 binaries"
                        + " (postgres --version says 15.", "but target.version is 18");
        assertThat(dir.resolve("plans")).doesNotExist();
    }

    /** 15 → 15 (target.version and target.binDir agree, but name the source's own version): not an upgrade. */
    @Test
    void aTargetThatIsNotNewerThanTheSourceIsBadInput() throws Exception {
        Path inventory = TestInventory.write(dir, "same", source, TestInventory.localHost(), "link", PgCluster.freePort(),
                source.port(), Toolchain.binDir(15));
        Files.writeString(inventory, Files.readString(inventory).replace("version: 18", "version: 15"));
        CliRun run = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.resolve("plans").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("pgmigrate: " + inventory + ": target.version: 15 is the source's major version (the server"
                        + " at 127.0.0.1:" + source.port() + " runs PostgreSQL 15.")
                .endsWith("set target.version to one newer than 15 and target.binDir to its binaries");
        assertThat(dir.resolve("plans")).doesNotExist();
    }

    /** Runs the plan's pre-flight steps (work dir, scratch initdb, pg_upgrade --check, scratch removal) as the cluster owner. */
    private static OsUser.Result runPreflight(Plan plan) {
        OsUser.Result last = null;
        Action.MakeDirectory workDir = (Action.MakeDirectory) step(plan, "preflight.workdir").action();
        OsUser.runAsOwner(List.of("mkdir", "-p", "-m", workDir.mode(), "--", workDir.path()), true);
        for (String id : List.of("preflight.scratch-initdb", "preflight.pg-upgrade-check")) {
            Action.RunCommand c = (Action.RunCommand) step(plan, id).action();
            List<String> argv = new ArrayList<>();
            if (c.workDir() != null) {
                argv.addAll(List.of("env", "-C", c.workDir()));
            }
            argv.addAll(c.argv());
            last = OsUser.runAsOwner(argv, true);
            if (last.exitCode() != 0) {
                break;
            }
        }
        OsUser.runAsOwner(List.of("rm", "-rf", "--", ((Action.RemoveTree) step(plan, "preflight.scratch-remove")
                .action()).path()), false);
        return last;
    }

    static List<String> argv(Plan plan, String id) {
        return ((Action.RunCommand) step(plan, id).action()).argv();
    }

    static Step step(Plan plan, String id) {
        return plan.step(id).orElseThrow(() -> new AssertionError("no step " + id + " in " + plan.phases().stream()
                        .flatMap(p -> p.steps().stream()).map(Step::id).collect(Collectors.joining(", "))));
    }

}
