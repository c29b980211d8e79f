package io.pgmigrate.plan;

import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.planner.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanJsonTest {
    /** One step of every action kind. */
    static List<Step> everyKind() {
        List<Action> actions = List.of(
                new Action.RunCommand(List.of("/usr/lib/postgresql/18/bin/pg_upgrade", "--old-datadir=/data dir/'x'"),
                        Map.of("LC_ALL", "C"), "/tmp/update_extensions.sql", "/var/lib/postgresql",
                        new Action.Logs("/data/18/pg_upgrade_output.d", "*.log")),
                new Action.RunSql(Action.Endpoint.SOURCE, "shop", "CHECKPOINT"),
                new Action.Pgbouncer(Action.Pgbouncer.Command.PAUSE),
                new Action.MakeDirectory("/var/lib/postgresql/pgmigrate-x", "0700"),
                new Action.RemoveTree("/var/lib/postgresql/18/main.pgmigrate-check"),
                new Action.CreatePublication(Action.Endpoint.SOURCE, "my \"db\"", "pgmigrate_my \"db\""),
                new Action.DropPublication(Action.Endpoint.TARGET, "shop", "pgmigrate_rev_shop"),
                new Action.CreateSubscription(Action.Endpoint.TARGET, "shop", "pgmigrate_shop",
                        Map.of("host", "db1", "port", "5432", "dbname", "shop", "user", "postgres"), "pgmigrate_shop",
                        "pgmigrate_shop", true, false),
                new Action.AlterSubscription(Action.Endpoint.SOURCE, "shop", "pgmigrate_rev_shop", false),
                new Action.DropSubscription(Action.Endpoint.TARGET, "shop", "pgmigrate_shop"),
                new Action.DropSlots(Action.Endpoint.SOURCE, "postgres", List.of("pgmigrate_shop", "pgmigrate_x")),
                Action.NothingUnreplicated.writtenLocally(Action.Endpoint.SOURCE, "shop", "pgmigrate_shop", "pgmigrate_shop"),
                Action.NothingUnreplicated.beyond(Action.Endpoint.SOURCE, "shop", "pgmigrate_shop", "pgmigrate_shop",
                        "pgmigrate_shop", "cutover.wal-position"),
                new Action.WaitFor(Action.WaitFor.Condition.COMMAND_SUCCEEDS, Action.Endpoint.TARGET,
                        List.of("pg_isready", "-p", "5432")),
                new Action.Check(Action.CheckKind.CLUSTER_SHUT_DOWN, null,
                        new Action.DataDirectory("/var/lib/postgresql/15/main", "/usr/lib/postgresql/15/bin"), "shut down"),
                new Action.WriteFile("/data/postgresql.auto.conf", "port = '5432'\n", "0600"),
                new Action.Verify(Action.Verify.Stage.COMPARE, Action.Verify.Scope.DATA, "exact", true, true),
                new Action.Verify(Action.Verify.Stage.BASELINE, Action.Verify.Scope.CATALOG, "exact", true, false),
                new Action.Verify(Action.Verify.Stage.LIVE, Action.Verify.Scope.DATA, "fast", false, true),
                new Action.CopyFile(HostRole.SOURCE, "/etc/postgresql/15/main/pg_hba.conf", HostRole.TARGET,
                        "/srv/pg/18/pg_hba.conf", "0600"),
                new Action.Logins(Action.Endpoint.SOURCE, Action.Logins.Change.BLOCK),
                new Action.Logins(Action.Endpoint.TARGET, Action.Logins.Change.RESTORE),
                new Action.WalPosition(Action.Endpoint.SOURCE),
                new Action.WaitForReplication(Action.WaitForReplication.Condition.TABLES_READY, Action.Endpoint.SOURCE,
                        "my \"db\"", "pgmigrate_x", "pgmigrate_x", 0, null),
                new Action.WaitForReplication(Action.WaitForReplication.Condition.LAG_BELOW, Action.Endpoint.SOURCE,
                        "shop", "pgmigrate_shop", "pgmigrate_shop", 16L * 1024 * 1024, null),
                new Action.WaitForReplication(Action.WaitForReplication.Condition.CONFIRMED_POSITION,
                        Action.Endpoint.TARGET, "shop", "pgmigrate_rev_shop", "pgmigrate_rev_shop", 0,
                        "rollback.wal-position"),
                new Action.CopySequences(Action.Endpoint.SOURCE, Action.Endpoint.TARGET, "shop"),
                new Action.CopyLargeObjects(Action.Endpoint.TARGET, Action.Endpoint.SOURCE, "shop"),
                new Action.AnalyzeMissing(Action.Endpoint.TARGET, Action.RunCommand.of(List.of(
                        "/usr/lib/postgresql/18/bin/vacuumdb", "--all", "--analyze-in-stages", "--missing-stats-only"))),
                Action.FenceOldCluster.pgControl("/var/lib/postgresql/15/main"),
                Action.FenceOldCluster.startConf("/etc/postgresql/15/main", "/etc/postgresql/18/main"),
                Action.FenceOldCluster.systemd("postgresql@15-main", "postgresql@18-main"),
                new Action.StandbyReplayed(new Action.DataDirectory("/data/15", "/usr/lib/postgresql/15/bin")),
                new Action.StandbyCheckpoint(new Action.DataDirectory("/data/15", "/usr/lib/postgresql/15/bin"),
                        new Action.DataDirectory("/data/15", "/usr/lib/postgresql/15/bin")),
                new Action.StandbyStreams("db1b"),
                new Action.AlterSystem(Action.Endpoint.TARGET, "synchronous_standby_names", "FIRST 1 (db1b, 'x''y')"),
                new Action.PatroniPause(List.of("db1:8008", "db1b:8008"), true),
                new Action.PatroniStop("db1b", "db1b:8008", List.of("systemctl", "stop", "patroni"),
                        List.of("systemctl", "start", "patroni")),
                new Action.PatroniConfig("/etc/patroni/patroni.yml", "/data/18", "/usr/lib/postgresql/18/bin",
                        "/data/15", java.util.Map.of("force_parallel_mode", "debug_parallel_query"),
                        List.of("vacuum_defer_cleanup_age")),
                new Action.PatroniWait("db1", "db1:8008", Action.PatroniWait.State.LEADS, 18));
        List<Completion> completions = List.of(new Completion.RunAgain(), new Completion.FreshDirectory("/data/18"),
                new Completion.ClusterShutDown("/data/15", "/usr/lib/postgresql/15/bin"),
                new Completion.OutputFiles("/w/delete_old_cluster.sh", List.of("/w/update_extensions.sql")),
                new Completion.ServerAnswers(Action.Endpoint.TARGET, 18), new Completion.PathGone("/data/15"),
                new Completion.CannotTell(), new Completion.OldClusterFenced(),
                new Completion.ServerRuns("/data/18", "/usr/lib/postgresql/18/bin"));
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            HostRole host = HostRole.values()[i % HostRole.values().length];
            steps.add(new Step("s" + i, "title " + i, "why", host,
                    StepRole.values()[i % StepRole.values().length], actions.get(i),
                    completions.get(i % completions.size()), Duration.ofSeconds(i + 1), Duration.ofMinutes(i + 1),
                    OnTimeout.values()[i % 2], i % 2 == 0, i == 0 ? null : "undo", i > 2,
                    Marker.values()[i % Marker.values().length], host == HostRole.STANDBY ? "db1b" : null));
        }
        return steps;
    }

    @Test
    void everyCompletionProbeAndRoleIsCovered() {
        Set<Class<?>> probes = everyKind().stream().map(s -> s.completion().getClass()).collect(Collectors.toSet());
        assertThat(probes).containsExactlyInAnyOrder(Completion.class.getPermittedSubclasses());
        Set<StepRole> roles = everyKind().stream().map(Step::role).collect(Collectors.toSet());
        assertThat(roles).containsExactlyInAnyOrder(StepRole.values());
    }

    @Test
    void everyActionKindIsCovered() {
        Set<Class<?>> covered = everyKind().stream().map(s -> s.action().getClass()).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(Action.class.getPermittedSubclasses());
    }

    @Test
    void everyActionKindReadsInTheMarkdown() {
        for (Step step : everyKind()) {
            assertThat(ActionText.describe(step.action())).as(step.action().toString()).isNotBlank().endsWith("\n");
        }
    }

    @Test
    void everyStepKindSurvivesARoundTrip() throws Exception {
        for (Step step : everyKind()) {
            String json = PlanJson.write(step);
            assertThat(PlanJson.mapper().readValue(json, Step.class)).isEqualTo(step);
        }
    }

    @Test
    void subtypesAreNamedExplicitly() {
        String json = PlanJson.write(everyKind());
        for (String kind : List.of("\"command\"", "\"sql\"", "\"wait\"", "\"check\"", "\"write-file\"", "\"verify\"",
                "\"copy-file\"", "\"logins\"", "\"wal-position\"", "\"wait-replication\"", "\"copy-sequences\"",
                "\"copy-large-objects\"", "\"pgbouncer\"", "\"make-directory\"", "\"remove-tree\"",
                "\"create-publication\"", "\"drop-publication\"", "\"create-subscription\"",
                "\"alter-subscription\"", "\"drop-subscription\"", "\"drop-slots\"", "\"nothing-unreplicated\"")) {
            assertThat(json).contains("\"kind\" : " + kind);
        }
    }

    @Test
    void aWholePlanRoundTripsAndKeepsItsDigest() throws Exception {
        Plan plan = Planner.plan(Inventories.sample(), Facts.healthy().build(), Instant.parse("2026-11-24T10:00:00Z"));
        Plan back = PlanJson.read(PlanJson.write(plan));
        assertThat(back).isEqualTo(plan);
        assertThat(PlanJson.digest(back)).isEqualTo(plan.digest());
    }

    @Test
    void digestIgnoresCreationTimeButNothingElse() {
        Plan plan = Planner.plan(Inventories.sample(), Facts.healthy().build(), Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(PlanJson.digest(plan.withCreatedAt(Instant.parse("2030-01-01T00:00:00Z")))).isEqualTo(plan.digest());
        List<Finding> more = new ArrayList<>(plan.findings());
        more.add(Finding.info("x", "y", "z"));
        Plan changed = new Plan(plan.formatVersion(), plan.toolVersion(), plan.createdAt(), plan.name(), plan.strategy(),
                plan.mode(), plan.sourceVersion(), plan.targetVersion(), plan.fingerprint(), more, plan.estimates(),
                plan.rollbackRules(), plan.phases(), plan.digest());
        assertThat(PlanJson.digest(changed)).isNotEqualTo(plan.digest());
        assertThat(plan.digest()).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void aPlanOfAnotherFormatIsRefusedInOneLineThatSaysToPlanAgain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path old = dir.resolve("old.plan.json");
        java.nio.file.Files.writeString(old, "{\"formatVersion\":1,\"toolVersion\":\"0.1.0\",\"steps\":[]}");
        assertThatThrownBy(() -> PlanJson.readVerified(old))
                .isInstanceOfSatisfying(io.pgmigrate.core.PgMigrateException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(io.pgmigrate.core.ExitCode.BAD_INPUT);
                    assertThat(e.getMessage()).doesNotContain("\n").contains(old.toString(), "format 1",
                            "pgmigrate 0.1.0", "format " + Plan.FORMAT_VERSION, "make and review a new plan");
                });
    }

    @Test
    void unknownPropertiesInAPlanFileAreRefused() {
        assertThatThrownBy(() -> PlanJson.read("{\"formatVersion\":2,\"surprise\":true}"))
                .hasMessageContaining("surprise");
    }

    @Test
    void fileFormIsStableAndEndsWithNewline() {
        Plan plan = Planner.plan(Inventories.sample(), Facts.healthy().build(), Instant.parse("2026-11-24T10:00:00Z"));
        String a = PlanJson.write(plan);
        assertThat(a).isEqualTo(PlanJson.write(plan)).endsWith("}\n").doesNotContain("\r");
        long createdLines = Arrays.stream(a.split("\n")).filter(l -> l.contains("2026-11-24T10:00:00Z")).count();
        assertThat(createdLines).isEqualTo(1);
    }
}
