package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.testing.BinCopy;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.InPlaceUpgrade;
import io.pgmigrate.testing.LedgerClient;
import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestPgbouncer;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.pgmigrate.testing.InPlaceUpgrade.serverMajor;
import static io.pgmigrate.testing.InPlaceUpgrade.shopUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data-loss path: --link behind pgbouncer, and the start of the new cluster reports a failure although the server
 * did start. Clients are resumed and write to PostgreSQL 18. From then on the old cluster must never run again (its
 * files are the new cluster's): neither execute, nor --retry-step, nor rollback starts it, removes the new data
 * directory or gives it its pg_control back; once the cause is repaired, --retry-step completes and every row the
 * clients wrote is in the cluster that serves.
 */
class NoReturnIT {
    /**
     * pg_ctl for the start pgmigrate does (its log is postgresql-18.log; pg_upgrade starts the server with other
     * arguments): the real start, then exit 1, once.
     */
    private static final String START_REPORTS_FAILURE_ONCE = """
            for a in "$@"; do case $a in */postgresql-18.log) ours=1 ;; esac; done
            if [ -n "$ours" ] && [ ! -e "$HERE/failed-once" ]; then
              "$REAL" "$@"
              : > "$HERE/failed-once"
              echo "pg_ctl (test wrapper): the server started, but this start reports a failure" >&2
              exit 1
            fi""";

    @TempDir
    Path dir;

    @Test
    void pastThePointOfNoReturnNothingGoesBackAndEveryRowClientsWroteStays() throws Exception {
        try (PgCluster pg = InPlaceUpgrade.seededCluster(); TestPgbouncer bouncer = TestPgbouncer.inFrontOf(pg)) {
            Path bin = BinCopy.of(pg.root().resolve("bin18"), Toolchain.binDir(18),
                    Map.of("pg_ctl", START_REPORTS_FAILURE_ONCE));
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "no-return", pg,
                    InPlaceUpgrade.Options.link().behind(bouncer).targetBin(bin));
            try {
                CliRun first = up.execute();
                assertThat(first.exitCode()).as(first.out()).isEqualTo(4);
                assertThat(InPlaceUpgrade.summary(first)).contains("step outage.start-new failed after the point of no"
                        + " return was crossed at step outage.start-new", "so nothing was rolled back",
                        "(resumed in pgbouncer)", "--retry-step outage.start-new");
                nothingWentBack(up, first);
                assertThat(serverMajor(pg.port())).as("the new cluster runs: the start did start it").isEqualTo(18);

                // clients work again, on PostgreSQL 18
                LedgerClient client = LedgerClient.start(shopUrl(bouncer.port()), "postgres", 1, 50);
                Thread.sleep(1500);
                client.stop(30, TimeUnit.SECONDS);
                List<Long> written = client.committedIds();
                assertThat(client.errors()).isEmpty();
                assertThat(written).as("rows the client wrote after the failure").hasSizeGreaterThan(10);

                // the DBA stops the new cluster to look into it
                OsUser.runAsOwner(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", up.newData().toString(),
                        "-m", "fast", "-w"), false);

                CliRun again = up.execute();
                assertThat(again.exitCode()).as(again.out()).isEqualTo(4);
                assertThat(InPlaceUpgrade.summary(again)).contains("after the point of no return was crossed",
                        "so nothing was rolled back", "--retry-step outage.start-new");
                nothingWentBack(up, again);

                CliRun back = up.run("rollback");
                assertThat(back.exitCode()).as(back.out()).isEqualTo(4);
                assertThat(InPlaceUpgrade.summary(back)).contains("cannot roll back: the point of no return was"
                        + " crossed at step outage.start-new", "Nothing was changed");
                nothingWentBack(up, back);

                CliRun retried = up.execute("--retry-step", "outage.start-new");
                assertThat(retried.exitCode()).as(retried.out()).isZero();
                assertThat(retried.out()).contains("retry  outage.start-new: its earlier run on the host was cleared");
                nothingWentBack(up, retried);
                assertThat(serverMajor(pg.port())).isEqualTo(18);
                assertThat(LedgerClient.missingOn(shopUrl(pg.port()), "postgres", written))
                        .as("rows written after the failure, missing on the cluster that serves").isEmpty();

                CliRun late = up.run("rollback");
                assertThat(late.exitCode()).as(late.out()).isEqualTo(4);
                assertThat(InPlaceUpgrade.summary(late)).contains("cannot roll back", "Nothing was changed");
                nothingWentBack(up, late);
                assertThat(serverMajor(pg.port())).isEqualTo(18);

                assertThat(up.events()).filteredOn(e -> e instanceof JournalEvent.PointOfNoReturnCrossed)
                        .as("the point of no return is journaled once").hasSize(1);
            } finally {
                pg.stopUpgraded();
            }
        }
    }

    /**
     * The old cluster was not started (pgmigrate starts it with its log in the work directory, and it cannot run
     * without global/pg_control), it keeps pg_control.old, and the new data directory is there.
     */
    private static void nothingWentBack(InPlaceUpgrade up, CliRun run) {
        Path old = up.pg().dataDir();
        assertThat(old.resolve("global/pg_control.old")).as(run.out()).exists();
        assertThat(old.resolve("global/pg_control")).as(run.out()).doesNotExist();
        assertThat(old.resolve("postmaster.pid")).as(run.out()).doesNotExist();
        assertThat(up.workDir().resolve("postgresql-old.log")).as(run.out()).doesNotExist();
        assertThat(up.newData().resolve("PG_VERSION")).as(run.out()).exists();
        assertThat(run.out()).doesNotContain("started the old cluster", "renamed global/pg_control.old back",
                "removed the new data directory");
    }
}
