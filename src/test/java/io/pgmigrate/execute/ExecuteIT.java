package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;

import io.pgmigrate.testing.Events;

import io.pgmigrate.journal.Journal;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Dumps;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.transport.JdbcSqlSession;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** pgmigrate execute, for real, over the test sshd: PostgreSQL 15 → 18 in place. */
class ExecuteIT {
    @TempDir
    Path dir;

    static void seed(PgCluster pg) {
        pg.createDatabase("shop");
        pg.sql("shop",
                "CREATE TYPE state AS ENUM ('new', 'paid')",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, s state, total numeric(10,2), at timestamptz DEFAULT now())",
                "CREATE INDEX ON orders (at)",
                "INSERT INTO orders (s, total) SELECT 'paid', i FROM generate_series(1, 20000) i",
                "CREATE VIEW paid AS SELECT * FROM orders WHERE s = 'paid'");
    }

    /**
     * A full schema and data dump of a database with PostgreSQL 18's pg_dump, version lines left out. Views
     * are left out too (the server deparses their definitions, and 16+ writes column references without
     * the table name); {@link #viewRows} compares what they return instead.
     */
    static String dump(PgCluster pg, String db) {
        return Dumps.of("pg_dump", pg.port(), "--no-sync", "--exclude-table=public.paid", "--exclude-table=public.bgw",
                db);
    }

    static long viewRows(PgCluster pg) {
        try (SqlSession s = JdbcSqlSession.open("127.0.0.1", pg.port(), "postgres", "shop", "disable")) {
            return s.query("SELECT count(*) AS n FROM paid").get(0).getLong("n");
        }
    }

    static int serverMajor(PgCluster pg) {
        try (SqlSession s = JdbcSqlSession.open("127.0.0.1", pg.port(), "postgres", "postgres", "disable")) {
            return (int) (s.query("SHOW server_version_num").get(0).getLong("server_version_num") / 10000);
        }
    }

    private Path plan(PgCluster pg, String name, String mode) throws IOException {
        Path inventory = TestInventory.write(dir, name, pg, TestInventory.sshHost(TestSshd.shared()), mode, PgCluster.freePort());
        CliRun run = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        return inventory;
    }

    @ParameterizedTest
    @ValueSource(strings = {"link", "swap"})
    void upgradesInPlaceAndTheDataIsAllThere(String mode) throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            seed(pg);
            String before = dump(pg, "shop");
            long paid = viewRows(pg);
            Path inventory = plan(pg, "up-" + mode, mode);
            CliRun run = CliRun.of("execute", "-i", inventory.toString(), dir.resolve("up-" + mode + ".plan.json").toString());
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(run.out()).contains("executed: the new cluster serves on port " + pg.port());
            assertThat(serverMajor(pg)).isEqualTo(18);
            assertThat(dump(pg, "shop")).isEqualTo(before);
            assertThat(viewRows(pg)).isEqualTo(paid);
            List<JournalEvent> journal = Journal.read(dir.resolve("up-" + mode + ".journal.jsonl"));
            assertThat(journal).filteredOn(e -> e instanceof JournalEvent.StepFinished)
                    .extracting(JournalEvent::step).contains("outage.pg-upgrade", "post.verify")
                    .doesNotContain("cleanup.delete-old");

            CliRun again = CliRun.of("execute", "-i", inventory.toString(), dir.resolve("up-" + mode + ".plan.json").toString());
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("executed completely already");
            CliRun status = CliRun.of("status", dir.resolve("up-" + mode + ".plan.json").toString());
            assertThat(status.out()).contains("executed completely", "measured write outage")
                    .containsPattern("done +outage.pg-upgrade");
            pg.stopUpgraded();
        }
    }

    /**
     * pg_upgrade fails in its schema restore, after the old cluster stopped: with --link and with --swap
     * (whose marker puts the point of no return at pg_upgrade itself) nothing was moved yet, so the
     * executor rolls back instead of giving up.
     */
    @ParameterizedTest
    @ValueSource(strings = {"link", "swap"})
    void aFailureBeforeThePointOfNoReturnRollsBackToTheOldCluster(String mode) throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            seed(pg);
            Path inventory = plan(pg, "fails-" + mode, mode);
            // PostgreSQL 18 cannot restore this view: pg_upgrade fails mid-run, after the old cluster stopped
            pg.sql("shop", "CREATE VIEW bgw AS SELECT checkpoints_timed FROM pg_catalog.pg_stat_bgwriter");
            String before = dump(pg, "shop");
            Path planFile = dir.resolve("fails-" + mode + ".plan.json");
            CliRun run = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
            assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(4);
            assertThat(run.out()).contains("outage.pg-upgrade failed", "Rolled back", "started the old cluster",
                    "the old cluster serves as before");
            if (mode.equals("swap")) {
                assertThat(run.out()).contains("failed before it crossed the point of no return");
            }
            assertThat(serverMajor(pg)).isEqualTo(15);
            assertThat(dump(pg, "shop")).isEqualTo(before);
            assertThat(pg.root().resolve("data18")).doesNotExist();
            assertThat(CliRun.of("status", planFile.toString()).out())
                    .contains("rolled back (outage.pg-upgrade failed): the old cluster serves");
        }
    }

    /**
     * --link: something takes the cluster's port while it is down, so the new cluster cannot start. It
     * never ran, so the old cluster is still good: pg_control.old is renamed back and the old cluster
     * started again once the port is free (the rollback keeps trying for a while).
     */
    @Test
    void aTakenPortAtTheStartOfTheNewClusterRollsBackToTheOldOne() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            seed(pg);
            Path inventory = plan(pg, "port", "link");
            String before = dump(pg, "shop");
            Path planFile = dir.resolve("port.plan.json");
            Path journal = dir.resolve("port.journal.jsonl");
            try (PortSquatter squatter = PortSquatter.when(journal, pg.port(),
                    Events.started("outage.pg-upgrade"),
                    Events.failed("outage.start-new"))) {
                CliRun run = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
                assertThat(squatter.held()).as("the port was taken while the cluster was down").isTrue();
                assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(4);
                assertThat(run.out()).contains("outage.start-new failed",
                        "failed before it crossed the point of no return", "Rolled back",
                        "renamed global/pg_control.old back to global/pg_control", "started the old cluster",
                        "the old cluster serves as before");
            }
            assertThat(serverMajor(pg)).isEqualTo(15);
            assertThat(dump(pg, "shop")).isEqualTo(before);
            assertThat(pg.root().resolve("data18")).doesNotExist();
        }
    }
    /**
     * --swap: the port is taken when the new cluster starts, after pg_upgrade crossed the point of no return.
     * Nothing is rolled back; a plain rerun fails the same way (the step's failed run is on record); once the
     * port is free, --retry-step runs that step again and the execution completes with the data intact.
     * Only the step that failed can be retried.
     */
    @Test
    void aFailurePastThePointOfNoReturnIsRetriedWithRetryStepOnceRepaired() throws Exception {
        try (PgCluster pg = PgCluster.start(15)) {
            seed(pg);
            Path inventory = plan(pg, "retry", "swap");
            String before = dump(pg, "shop");
            Path planFile = dir.resolve("retry.plan.json");
            Path journal = dir.resolve("retry.journal.jsonl");
            try (PortSquatter squatter = PortSquatter.when(journal, pg.port(),
                    Events.started("outage.pg-upgrade"),
                    Events.failed("outage.start-new"))) {
                CliRun run = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
                assertThat(squatter.held()).isTrue();
                assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(4);
                assertThat(run.out()).contains("outage.start-new failed after the point of no return was crossed at step outage.pg-upgrade",
                        "nothing was rolled back", "run execute again with --retry-step outage.start-new");
            }
            CliRun again = CliRun.of("execute", "-i", inventory.toString(), planFile.toString());
            assertThat(again.exitCode()).as(again.out()).isEqualTo(4);
            assertThat(again.out()).contains("--retry-step outage.start-new");

            CliRun wrong = CliRun.of("execute", "--retry-step", "outage.pg-upgrade", "-i", inventory.toString(),
                    planFile.toString());
            assertThat(wrong.exitCode()).isEqualTo(2);
            assertThat(wrong.out()).contains("--retry-step outage.pg-upgrade: the journal", "shows step outage.start-new"
                    + " failed last; only that step can be retried. Nothing was changed");

            CliRun retried = CliRun.of("execute", "--retry-step", "outage.start-new", "-i", inventory.toString(),
                    planFile.toString());
            assertThat(retried.exitCode()).as(retried.err() + retried.out()).isZero();
            assertThat(retried.out()).contains("retry  outage.start-new: its earlier run on the host was cleared",
                    "PASSED row counts");
            assertThat(serverMajor(pg)).isEqualTo(18);
            assertThat(dump(pg, "shop")).isEqualTo(before);
            pg.stopUpgraded();
        }
    }
}
