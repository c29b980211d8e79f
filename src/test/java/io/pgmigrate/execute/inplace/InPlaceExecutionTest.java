package io.pgmigrate.execute.inplace;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.ExecutionResult;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.testing.fakes.FakeCluster;
import io.pgmigrate.testing.fakes.FakeRunner;
import io.pgmigrate.testing.fakes.FakeShell;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-place executor's step loop, point of no return and way back, with a fake host, fake SQL and a fake runner:
 * what it journals, what it does to the host, and what it refuses.
 */
class InPlaceExecutionTest {
    private static final String OLD = "/var/lib/postgresql/15/main";
    private static final String NEW = "/var/lib/postgresql/18/main";
    private static final String CONTROL_OLD = OLD + "/global/pg_control";

    @TempDir
    Path dir;
    private FakeShell host;
    private FakeCluster cluster;
    /** Every standby's host and server (issue #15): the fake runner does what the steps would. */
    private final FakeCluster standby = new FakeCluster(new FakeShell());
    private FakeRunner runner;
    private StringWriter console;
    private ClusterFacts facts;

    @BeforeEach
    void setUp() {
        host = new FakeShell().exists(OLD, CONTROL_OLD);
        // a server answers on the cluster's endpoint as the old cluster was
        cluster = new FakeCluster(host).answering(sql -> List.of(Map.of("v", "150018", "id", "7300000000000000001",
                "server_version_num", "150018")));
        runner = new FakeRunner();
        console = new StringWriter();
        facts = Facts.healthy().build();
        // pg_controldata of the new cluster: as pg_upgrade left it
        host.on("env", argv -> FakeShell.ok("pg_control version number: 1800\nDatabase system identifier: 1\n"
                + "Database cluster state: shut down\nLatest checkpoint location: 0/1A2B3C8\n"));
        host.on("sh", argv -> FakeShell.ok("- NOT_STARTED -1 0 0\n")); // detached-command control: nothing there
    }

    private Inventory linkBehindPgbouncer() {
        Inventory inv = Inventories.withMode(UpgradeMode.LINK);
        return new Inventory(inv.name(), inv.strategy(), inv.source(), inv.target(), inv.options(),
                new Inventory.Cutover(new Inventory.Pgbouncer("127.0.0.1", 6432, "pgbouncer"), null),
                inv.smokeQueries(), inv.file());
    }

    private InPlaceExecution execution(Inventory inv, Journal journal, String execution) {
        Plan plan = Planner.plan(inv, facts, Instant.parse("2026-12-01T00:00:00Z"));
        ExecutionContext ctx = new ExecutionContext(plan, inv, facts.source(), cluster, null,
                ExecutionFiles.beside(dir.resolve("orders-prod.plan.json"), plan.name()), new PrintWriter(console, true),
                execution, new io.pgmigrate.testing.fakes.TickingClock(Instant.parse("2026-12-07T10:00:00Z"),
                java.time.Duration.ofSeconds(20)), name -> standby);
        return new InPlaceExecution(ctx, journal, runner, new NoReturn(ctx), new OldCluster(ctx));
    }

    private boolean touchedTheOldClusterOrTheNewData() {
        return host.ranWith("mv", "--", CONTROL_OLD + ".old", CONTROL_OLD)
                || host.ran().stream().anyMatch(a -> a.contains("start") && a.contains("/usr/lib/postgresql/15/bin/pg_ctl"))
                || host.ranWith("rm", "-rf", "--", NEW);
    }

    /**
     * Past the point of no return (--swap), a failure says where the standbys stand: stopped at the old primary's
     * shutdown checkpoint and untouched, each is a way back with every committed write (issue #15).
     */
    @Test
    void pastThePointOfNoReturnTheUntouchedStandbysAreNamedAsAWayBack() {
        Inventory inv = Inventories.withStandbys(UpgradeMode.SWAP, "db1b");
        Facts f = Facts.healthy().withStandby("db1b", "10.0.0.2", "async");
        facts = f.build();
        runner.failing("outage.start-new", "'pg_ctl' exited 1: could not start server");
        try (Journal journal = Journal.open(dir.resolve("orders-prod.journal.jsonl"))) {
            ExecutionResult r = execution(inv, journal, "e1").run(null);
            assertThat(r.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(runner.ran()).contains("outage.standby-stop.db1b", "outage.pg-upgrade");
            assertThat(r.summary()).contains("point of no return was crossed at step outage.pg-upgrade",
                    "nothing was rolled back", "Standby(s) db1b stopped at the old primary's shutdown checkpoint,"
                            + " untouched since", "pg_ctl promote", "--retry-step outage.start-new");
        }
    }

    /**
     * Under Patroni (issue #15), past the point of no return (--swap) Patroni's leader fails to start the new cluster:
     * the failure says Patroni is stopped on every member, failover off, and how to start it again.
     */
    @Test
    void pastThePointOfNoReturnUnderPatroniTheMembersWhosePatroniIsStoppedAreNamed() {
        Inventory inv = Inventories.withPatroni(UpgradeMode.SWAP, "db1b");
        facts = Facts.healthy().withStandby("db1b", "10.0.0.2", "async").withPatroni("db1b").build();
        runner.failing("outage.start-new", "'systemctl' exited 1: Job for patroni.service failed");
        try (Journal journal = Journal.open(dir.resolve("orders-prod.journal.jsonl"))) {
            ExecutionResult r = execution(inv, journal, "e1").run(null);
            assertThat(r.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(runner.ran()).containsSubsequence("outage.patroni-pause", "outage.patroni-stop.db1b",
                    "outage.patroni-stop-leader", "outage.pg-upgrade", "outage.patroni-config-leader");
            assertThat(r.summary()).contains("nothing was rolled back", "Patroni is stopped on db1b, pg1 (failover is"
                    + " off", "start Patroni there, the leader's first (systemctl start patroni)",
                    "--retry-step outage.start-new");
        }
    }

    @Test
    void aStartThatFailedWhileTheNewServerRunsCrossesThePointOfNoReturnOnceAndForAll() {
        Inventory inv = linkBehindPgbouncer();
        Path file = dir.resolve("orders-prod.journal.jsonl");
        // --link: pg_upgrade renamed the old pg_control; the start "fails" although the server came up
        runner.effect("outage.pg-upgrade", s -> host.gone(CONTROL_OLD).exists(CONTROL_OLD + ".old", NEW))
                .effect("outage.start-new", s -> host.exists(NEW + "/postmaster.pid"))
                .failing("outage.start-new", "'pg_ctl' exited 1: could not start server");
        try (Journal journal = Journal.open(file)) {
            ExecutionResult first = execution(inv, journal, "e1").run(null);
            assertThat(first.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(first.summary()).contains("point of no return was crossed at step outage.start-new",
                    "postmaster.pid exists", "nothing was rolled back", "--retry-step outage.start-new");
            assertThat(runner.ran()).as("clients were resumed").endsWith("post.resume-clients");
            assertThat(touchedTheOldClusterOrTheNewData()).isFalse();
            JournalState state = journal.state();
            assertThat(state.crossed().step()).isEqualTo("outage.start-new");

            // the DBA stops the new cluster by hand; every way back stays closed, now read from the journal
            host.gone(NEW + "/postmaster.pid");
            ExecutionResult again = execution(inv, journal, "e1").run(null);
            assertThat(again.summary()).contains("point of no return was crossed", "nothing was rolled back");
            ExecutionResult rollback = execution(inv, journal, "e1").rollback();
            assertThat(rollback.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(rollback.summary()).startsWith("cannot roll back: the point of no return was crossed")
                    .contains("Nothing was changed");
            assertThat(touchedTheOldClusterOrTheNewData()).isFalse();
            assertThat(host.has(CONTROL_OLD + ".old")).isTrue();
            assertThat(journal.read().stream().filter(e -> e instanceof JournalEvent.PointOfNoReturnCrossed))
                    .as("journaled once").hasSize(1);

            // --retry-step after the repair goes forward and completes
            runner.heal("outage.start-new");
            ExecutionResult retried = execution(inv, journal, "e1").run("outage.start-new");
            assertThat(retried.exitCode()).as(retried.summary()).isEqualTo(ExitCode.SUCCESS);
            assertThat(touchedTheOldClusterOrTheNewData()).isFalse();
            assertThat(journal.state().ended()).isTrue();
        }
    }

    @Test
    void aStartThatFailedBeforeTheServerRanRollsBackToTheOldClusterStartedAsItRan() {
        Inventory inv = linkBehindPgbouncer();
        host.on("cat", argv -> FakeShell.ok("/usr/lib/postgresql/15/bin/postgres \"-D\" \"" + OLD + "\" \"-p\""
                + " \"5432\" \"-c\" \"listen_addresses=127.0.0.2\"\n"));
        host.on("pg_ctl", argv -> {
            if (argv.contains("start") && argv.get(0).contains("/15/")) {
                host.exists(OLD + "/postmaster.pid");
            }
            return argv.contains("status") ? new io.pgmigrate.transport.CommandResult(host.has(OLD
                    + "/postmaster.pid") ? 0 : 3, "", "") : FakeShell.ok("");
        });
        runner.effect("outage.stop-old", s -> host.gone(OLD + "/postmaster.pid"))
                .effect("outage.pg-upgrade", s -> host.gone(CONTROL_OLD).exists(CONTROL_OLD + ".old", NEW))
                .failing("outage.start-new", "'pg_ctl' exited 1: could not bind IPv4 address: port in use");
        host.exists(OLD + "/postmaster.pid");
        try (Journal journal = Journal.open(dir.resolve("orders-prod.journal.jsonl"))) {
            ExecutionResult r = execution(inv, journal, "e1").run(null);
            assertThat(r.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(r.summary()).contains("Rolled back", "renamed global/pg_control.old back",
                    "with the options it ran with", "answers at 127.0.0.1:5432", "serves as before");
            assertThat(host.has(CONTROL_OLD)).isTrue();
            assertThat(host.ran()).anySatisfy(a -> assertThat(a).contains("-o",
                    "\"-D\" \"" + OLD + "\" \"-p\" \"5432\" \"-c\" \"listen_addresses=127.0.0.2\""));
            assertThat(journal.state().crossed()).isNull();
            assertThat(journal.state().rolledBack()).isTrue();
            assertThat(journal.state().closed()).isTrue();
        }
    }

    /**
     * pg_upgrade failed as far as pgmigrate knows (its outcome could not be read), but its program still runs on the
     * host: neither the failure's rollback nor pgmigrate rollback touches the old cluster or the new data directory
     * under it; once it has ended, rollback goes back.
     */
    @Test
    void aFailedStepWhoseProgramStillRunsIsNotRolledBackUnderIt() {
        Inventory inv = Inventories.withMode(UpgradeMode.LINK);
        boolean[] running = {true};
        host.on("sh", argv -> FakeShell.ok(running[0] ? "- RUNNING - 0 0\n" : "- FINISHED 0 0 0\n"));
        host.on("pg_ctl", argv -> argv.contains("status") ? new io.pgmigrate.transport.CommandResult(3, "", "")
                : FakeShell.ok(""));
        runner.effect("outage.pg-upgrade", s -> host.gone(CONTROL_OLD).exists(CONTROL_OLD + ".old", NEW))
                .failing("outage.pg-upgrade", "its outcome cannot be read from fake-host (no answer); the program"
                        + " may still run there");
        try (Journal journal = Journal.open(dir.resolve("orders-prod.journal.jsonl"))) {
            ExecutionResult r = execution(inv, journal, "e1").run(null);
            assertThat(r.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(r.summary()).contains("Nothing was rolled back", "step outage.pg-upgrade is still running on",
                    "then run pgmigrate rollback");
            assertThat(touchedTheOldClusterOrTheNewData()).isFalse();
            assertThat(journal.state().rolledBack()).isFalse();

            ExecutionResult early = execution(inv, journal, "e1").rollback();
            assertThat(early.summary()).contains("cannot roll back yet: step outage.pg-upgrade is still running",
                    "Nothing was changed");
            assertThat(touchedTheOldClusterOrTheNewData()).isFalse();

            running[0] = false;
            ExecutionResult back = execution(inv, journal, "e1").rollback();
            assertThat(back.summary()).contains("rolled back");
            assertThat(host.ranWith("rm", "-rf", "--", NEW)).isTrue();
        }
    }

    @Test
    void aRollbackSaysServesAsBeforeOnlyOnceTheOldClusterAnswersWhereTheInventorySays() {
        Inventory inv = linkBehindPgbouncer();
        cluster.up(false);
        runner.failing("outage.checkpoint", "could not checkpoint");
        try (Journal journal = Journal.open(dir.resolve("orders-prod.journal.jsonl"))) {
            ExecutionResult r = execution(inv, journal, "e1").run(null);
            assertThat(r.summary()).contains("the rollback failed too", "does not answer at 127.0.0.1:5432")
                    .doesNotContain("serves as before");
            assertThat(journal.read()).anySatisfy(e -> assertThat(e).isInstanceOf(JournalEvent.RollbackFailed.class));
        }
    }

    @Test
    void anInterruptedStepWhoseEffectCannotBeToldStopsWithoutChangingAnything() {
        Inventory inv = Inventories.withMode(UpgradeMode.LINK);
        host.on("sh", argv -> FakeShell.ok("- LOST -1 0 0\n")); // the detached program died with its host session
        try (Journal journal = Journal.open(dir.resolve("orders-prod.journal.jsonl"))) {
            Instant t = Instant.parse("2026-12-07T09:00:00Z");
            journal.append(new JournalEvent.ExecutionStarted(t, JournalEvent.FORMAT, "e1", Planner.plan(inv, facts,
                    Instant.parse("2026-12-01T00:00:00Z")).digest(), io.pgmigrate.execute.Controller.current(), null));
            for (String done : List.of("preflight.fingerprint", "preflight.workdir", "preflight.scratch-initdb",
                    "preflight.pg-upgrade-check", "preflight.scratch-remove", "prepare.initdb", "prepare.settings",
                    "prepare.schema-baseline", "prepare.hba", "outage.checkpoint", "outage.baseline",
                    "outage.stop-old", "outage.check-stopped")) {
                journal.append(new JournalEvent.StepStarted(t, done, JournalEvent.Recorded.NOTHING));
                journal.append(new JournalEvent.StepFinished(t, done, 1L, "ok", null, false));
            }
            // an earlier attempt's delete_old_cluster.sh is there, but older than this step's start
            host.exists("/var/lib/postgresql/18/pgmigrate-orders-prod/delete_old_cluster.sh")
                    .on("stat", argv -> FakeShell.ok("1000\n"));
            journal.append(new JournalEvent.StepStarted(t, "outage.pg-upgrade", new JournalEvent.Recorded(null,
                    2000L, null)));
            ExecutionResult r = execution(inv, journal, "e1").run(null);
            assertThat(r.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(r.summary()).contains("cannot tell", "older than this run of the step");
            assertThat(runner.ran()).isEmpty();
            assertThat(journal.state().lastFailed()).isEqualTo("outage.pg-upgrade");
        }
    }

    @Test
    void aJournalThatCannotBeWrittenStopsBeforeTheStepAndResumesClients() {
        Inventory inv = linkBehindPgbouncer();
        Path file = dir.resolve("orders-prod.journal.jsonl");
        try (Journal journal = Journal.open(file)) {
            runner.effect("outage.checkpoint", s -> {
                throw new Journal.WriteFailed("cannot write the journal " + file + " (No space left on device)");
            });
            ExecutionResult r = execution(inv, journal, "e1").run(null);
            assertThat(r.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(r.summary()).contains("No space left on device", "at step outage.checkpoint");
            assertThat(runner.ran()).endsWith("post.resume-clients");
        }
    }

    /**
     * systemd cannot run on these machines: the exact systemctl argument lists of a --copy upgrade's fence (the units'
     * state recorded first) and of rollback --discard-new-writes, which puts both units back as recorded.
     */
    @Test
    void systemdUnitsAreHandedOverByTheFenceAndBackByRollbackDiscardNewWrites() {
        Inventory base = Inventories.withMode(UpgradeMode.COPY);
        Inventory.SourceCluster s = base.source();
        Inventory.TargetCluster t = base.target();
        Inventory inv = new Inventory(base.name(), base.strategy(), new Inventory.SourceCluster(s.host(), s.pg(),
                s.tunnel(), s.dataDir(), s.binDir(), s.configFile(), new Inventory.ServiceControl(
                Inventory.ServiceControl.Kind.SYSTEMD, "postgresql@15-main")), new Inventory.TargetCluster(t.version(),
                t.binDir(), t.dataDir(), t.port(), t.host(), new Inventory.ServiceControl(
                Inventory.ServiceControl.Kind.SYSTEMD, "postgresql@18-main")), base.options(), base.cutover(),
                base.smokeQueries(), base.file());
        java.util.Set<String> enabled = new java.util.TreeSet<>(List.of("postgresql@15-main"));
        host.on("systemctl", argv -> {
            String unit = argv.get(argv.size() - 1);
            switch (argv.get(1)) {
                case "is-enabled" -> {
                    return new io.pgmigrate.transport.CommandResult(enabled.contains(unit) ? 0 : 1, "", "");
                }
                case "enable" -> enabled.add(unit);
                case "disable" -> enabled.remove(unit);
                default -> {
                }
            }
            return FakeShell.ok("");
        });
        runner.effect("outage.fence-old", step -> new io.pgmigrate.execute.OldClusterFence(host,
                java.time.Duration.ofSeconds(5)).fence((io.pgmigrate.plan.Action.FenceOldCluster) step.action()));
        try (Journal journal = Journal.open(dir.resolve("orders-prod.journal.jsonl"))) {
            ExecutionResult r = execution(inv, journal, "e1").run(null);
            assertThat(r.exitCode()).as(r.summary()).isEqualTo(ExitCode.SUCCESS);
            assertThat(enabled).containsExactly("postgresql@18-main");
            assertThat(journal.state().recorded("outage.fence-old").fenceBefore())
                    .isEqualTo(new JournalEvent.FenceBefore(null, null, true, false));
            assertThat(systemctl()).containsExactly(
                    List.of("systemctl", "is-enabled", "--quiet", "--", "postgresql@15-main"),
                    List.of("systemctl", "is-enabled", "--quiet", "--", "postgresql@18-main"),
                    List.of("systemctl", "disable", "--", "postgresql@15-main"),
                    List.of("systemctl", "enable", "--", "postgresql@18-main"));

            ExecutionResult refused = execution(inv, journal, "e1").rollback();
            assertThat(refused.summary()).contains("cannot roll back", "rollback --discard-new-writes");
            assertThat(systemctl()).hasSize(4);

            ExecutionResult back = execution(inv, journal, "e1").rollback(true);
            assertThat(back.exitCode()).as(back.summary()).isEqualTo(ExitCode.SUCCESS);
            assertThat(back.summary()).contains("disabled postgresql@18-main, enabled postgresql@15-main again",
                    "the new cluster's writes were discarded");
            assertThat(systemctl().subList(4, systemctl().size())).containsExactly(
                    List.of("systemctl", "disable", "--", "postgresql@18-main"),
                    List.of("systemctl", "enable", "--", "postgresql@15-main"),
                    List.of("systemctl", "start", "postgresql@15-main"));
            assertThat(enabled).containsExactly("postgresql@15-main");
        }
    }

    private List<List<String>> systemctl() {
        return host.ran().stream().filter(a -> a.get(0).equals("systemctl")).toList();
    }
}
