package io.pgmigrate.execute;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.testing.BinCopy;
import io.pgmigrate.testing.BlackHoleProxy;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Events;
import io.pgmigrate.testing.InPlaceUpgrade;
import io.pgmigrate.testing.LedgerClient;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.PlanEdits;
import io.pgmigrate.testing.TestPgbouncer;
import io.pgmigrate.testing.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.pgmigrate.testing.InPlaceUpgrade.serverMajor;
import static org.assertj.core.api.Assertions.assertThat;

/** A step's timeout, both ways it is meant: pg_upgrade is never stopped by it; a SQL step never outlasts it by much. */
class TimeoutsIT {
    /** pg_upgrade (not --check) that takes a few seconds longer than it would. */
    private static final String SLOW_START = """
            case " $* " in *" --check "*) ;; *) sleep 5 ;; esac""";

    @TempDir
    Path dir;

    /**
     * pg_upgrade runs past its timeout (cut to 2 s in the plan): pgmigrate warns, journals it as overdue, keeps
     * waiting, and the execution completes with pg_upgrade run once.
     */
    @Test
    void aPgUpgradeSlowerThanItsTimeoutIsNotStoppedAndCompletes() throws Exception {
        try (PgCluster pg = InPlaceUpgrade.seededCluster()) {
            Path bin = BinCopy.of(pg.root().resolve("bin18"), Toolchain.binDir(18), Map.of("pg_upgrade", SLOW_START));
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "slow", pg, InPlaceUpgrade.Options.link().targetBin(bin));
            PlanEdits.withTimeout(up.planFile(), "outage.pg-upgrade", Duration.ofSeconds(2));
            try {
                CliRun run = up.execute();
                assertThat(run.exitCode()).as(run.out()).isZero();
                assertThat(run.out()).contains("WARNING outage.pg-upgrade has run ", "past its timeout of 2 s. It is"
                        + " not stopped");
                assertThat(up.events()).filteredOn(e -> e instanceof JournalEvent.StepOverdue)
                        .extracting(JournalEvent::step).isNotEmpty().containsOnly("outage.pg-upgrade");
                assertThat(up.events()).filteredOn(Events.started("outage.pg-upgrade")).hasSize(1);
                String output = Files.readString(up.stepsDir().resolve("outage.pg-upgrade.out"));
                assertThat(output.split("Performing Upgrade", -1)).as("pg_upgrade ran once").hasSize(2);
                assertThat(serverMajor(pg.port())).isEqualTo(18);
            } finally {
                pg.stopUpgraded();
            }
        }
    }

    /**
     * The network path to the old cluster drops while CHECKPOINT runs (timeout cut to 5 s): the step ends within its
     * timeout plus the session's grace (5 s) and a little for the rollback, the old cluster (never stopped) serves,
     * and clients behind pgbouncer are resumed and write again.
     */
    @Test
    void aSqlStepAcrossADroppedNetworkPathEndsWithinItsTimeoutAndClientsAreResumed() throws Exception {
        Duration timeout = Duration.ofSeconds(5);
        try (PgCluster pg = InPlaceUpgrade.seededCluster(); TestPgbouncer bouncer = TestPgbouncer.inFrontOf(pg);
             BlackHoleProxy proxy = BlackHoleProxy.to(pg.port())) {
            InPlaceUpgrade up = InPlaceUpgrade.plan(dir, "dropped", pg,
                    InPlaceUpgrade.Options.link().behind(bouncer).reachedAt(proxy.port()));
            PlanEdits.withTimeout(up.planFile(), "outage.checkpoint", timeout);
            LedgerClient client = LedgerClient.start(InPlaceUpgrade.shopUrl(bouncer.port()), "postgres", 1, 50);
            proxy.blackHoleOn("CHECKPOINT");
            CliRun run = up.execute();
            Instant ended = Instant.now();
            int atTheEnd = client.committedCount();
            Thread.sleep(1000);
            client.stop(30, TimeUnit.SECONDS);

            assertThat(proxy.blackHoled()).as("CHECKPOINT went into the black hole").isEqualTo(1);
            assertThat(run.exitCode()).as(run.out()).isEqualTo(4);
            assertThat(InPlaceUpgrade.summary(run)).contains("step outage.checkpoint failed: ", "Rolled back: ",
                    "the old cluster serves as before", "(resumed in pgbouncer)").doesNotContain("started the old");
            Instant started = Journal.read(up.journal()).stream().filter(Events.started("outage.checkpoint"))
                    .findFirst().orElseThrow().at();
            assertThat(Duration.between(started, ended)).as("from CHECKPOINT to the end of execute")
                    .isLessThan(timeout.plusSeconds(5 + 5));
            assertThat(up.events()).filteredOn(Events.started("outage.stop-old")).isEmpty();
            assertThat(serverMajor(pg.port())).isEqualTo(15);
            assertThat(client.committedCount()).as("the client writes again after the rollback").isGreaterThan(atTheEnd);
            assertThat(client.errors()).isEmpty();
        }
    }
}
