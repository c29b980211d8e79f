package io.pgmigrate.planner.inplace;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.ServiceControl;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where each mode's plan fences the old cluster (right where its point of no return is behind and the new cluster
 * answers), what the fence is for each way of starting clusters, and the Debian target's configuration steps.
 */
class OldClusterFencePlanTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static Inventory inventory(UpgradeMode mode, boolean pgbouncer, ServiceControl service, Path configFile,
                                       ServiceControl targetService) {
        Inventory base = Inventories.withMode(mode);
        Inventory.SourceCluster s = base.source();
        Inventory.TargetCluster t = base.target();
        return new Inventory(base.name(), base.strategy(), new Inventory.SourceCluster(s.host(), s.pg(), s.tunnel(),
                s.dataDir(), s.binDir(), configFile, service), new Inventory.TargetCluster(t.version(), t.binDir(),
                t.dataDir(), t.port(), t.host(), targetService), base.options(),
                pgbouncer ? new Inventory.Cutover(new Inventory.Pgbouncer("127.0.0.1", 6432, "pgbouncer"))
                        : base.cutover(), base.smokeQueries(), base.file());
    }

    private static Plan plan(UpgradeMode mode, boolean pgbouncer) {
        return Planner.plan(inventory(mode, pgbouncer, ServiceControl.pgCtl(), null, null), Facts.healthy().build(), AT);
    }

    private static Plan debian(UpgradeMode mode) {
        return Planner.plan(inventory(mode, false, new ServiceControl(ServiceControl.Kind.PG_CTLCLUSTER, null),
                Path.of("/etc/postgresql/15/main/postgresql.conf"), null), Facts.healthy().build(), AT);
    }

    private static List<String> ids(Plan plan) {
        return plan.steps().stream().map(Step::id).toList();
    }

    private static Step step(Plan plan, String id) {
        return plan.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private static Step fence(Plan plan) {
        List<Step> fences = plan.steps().stream().filter(s -> s.role() == StepRole.FENCE_OLD_CLUSTER).toList();
        assertThat(fences).hasSize(1);
        return fences.get(0);
    }

    /** The fence follows the step after which the way back is closed and the new cluster answers. */
    @ParameterizedTest
    @CsvSource({
            "SWAP,  false, outage.wait-ready,   outage.pg-upgrade,    true",
            "SWAP,  true,  outage.wait-ready,   outage.pg-upgrade,    true",
            "LINK,  false, outage.wait-ready,   outage.start-new,     true",
            "LINK,  true,  outage.wait-ready,   outage.start-new,     true",
            "COPY,  false, outage.wait-ready,   outage.start-new,     true",
            "CLONE, false, outage.wait-ready,   outage.start-new,     true",
            "COPY,  true,  post.resume-clients, post.resume-clients,  false",
            "CLONE, true,  post.resume-clients, post.resume-clients,  false",
    })
    void theFenceComesRightAfterThePointOfNoReturnOnceTheNewClusterAnswers(UpgradeMode mode, boolean pgbouncer,
                                                                         String after, String pointOfNoReturn,
                                                                         boolean inOutage) {
        Plan plan = plan(mode, pgbouncer);
        Step fence = fence(plan);
        List<String> ids = ids(plan);
        assertThat(ids.get(ids.indexOf(fence.id()) - 1)).isEqualTo(after);
        assertThat(step(plan, pointOfNoReturn).marker()).isEqualTo(Marker.POINT_OF_NO_RETURN);
        assertThat(ids.indexOf(fence.id())).isGreaterThan(ids.indexOf(pointOfNoReturn));
        assertThat(ids.indexOf(fence.id())).isGreaterThan(ids.indexOf("outage.wait-ready"));
        assertThat(fence.id()).isEqualTo(inOutage ? "outage.fence-old" : "post.fence-old");
        assertThat(fence.inOutage()).isEqualTo(inOutage);
        assertThat(fence.retrySafe()).isTrue();
        assertThat(fence.marker()).isEqualTo(Marker.NONE);
        assertThat(fence.completion()).isEqualTo(new Completion.OldClusterFenced());
        assertThat(fence.action()).isEqualTo(Action.FenceOldCluster.pgControl("/var/lib/postgresql/15/main"));
        assertThat(plan.rollbackRules()).anyMatch(r -> r.startsWith("Fence (" + fence.id()));
        boolean copyLike = mode == UpgradeMode.COPY || mode == UpgradeMode.CLONE;
        assertThat(fence.undo()).contains(copyLike ? "rollback --discard-new-writes" : "must not start again");
        assertThat(fence.title()).contains(copyLike ? "renamed" : "already: checked");
    }

    @Test
    void aDebianClusterBecomesADebianClusterOfTheNewVersionAndStartConfIsTheFence() {
        Plan plan = debian(UpgradeMode.COPY);
        List<String> ids = ids(plan);
        assertThat(ids.subList(ids.indexOf("prepare.initdb"), ids.indexOf("prepare.settings") + 1)).containsExactly(
                "prepare.initdb", "prepare.config-root", "prepare.config-dir", "prepare.config", "prepare.start-conf",
                "prepare.ident", "prepare.settings");
        assertThat(((Action.MakeDirectory) step(plan, "prepare.config-root").action()).path())
                .isEqualTo("/etc/postgresql/18");
        Step dir = step(plan, "prepare.config-dir");
        assertThat(dir.role()).isEqualTo(StepRole.NEW_CLUSTER_CONFIG);
        assertThat(dir.retrySafe()).isFalse();
        assertThat(((Action.RunCommand) dir.action()).argv()).containsExactly("mkdir", "-m", "0755", "--",
                "/etc/postgresql/18/main");
        String conf = ((Action.WriteFile) step(plan, "prepare.config").action()).content();
        assertThat(conf).contains("include = '/var/lib/postgresql/18/main/postgresql.conf'",
                "data_directory = '/var/lib/postgresql/18/main'", "hba_file = '/etc/postgresql/18/main/pg_hba.conf'",
                "ident_file = '/etc/postgresql/18/main/pg_ident.conf'", "cluster_name = '18/main'");
        assertThat(((Action.WriteFile) step(plan, "prepare.start-conf").action()).content()).endsWith("\nmanual\n");
        assertThat(((Action.RunCommand) step(plan, "prepare.ident").action()).argv()).containsExactly("cp", "--",
                "/etc/postgresql/15/main/pg_ident.conf", "/etc/postgresql/18/main/pg_ident.conf");
        assertThat(((Action.RunCommand) step(plan, "prepare.hba").action()).argv()).last()
                .isEqualTo("/etc/postgresql/18/main/pg_hba.conf");
        assertThat(((Action.RunCommand) step(plan, "outage.start-new").action()).argv())
                .containsSequence("start", "-D", "/etc/postgresql/18/main");
        assertThat(fence(plan).action()).isEqualTo(Action.FenceOldCluster.startConf("/etc/postgresql/15/main",
                "/etc/postgresql/18/main"));
        assertThat(PlanMarkdown.render(plan)).contains("start.conf.pgmigrate", "echo disabled >");
    }

    @Test
    void theDebianNameIsTheConfigurationDirectorysEvenWhenTheDataLivesElsewhere() {
        Inventory base = inventory(UpgradeMode.COPY, false, new ServiceControl(ServiceControl.Kind.PG_CTLCLUSTER, null),
                Path.of("/etc/postgresql/15/sales/postgresql.conf"), null);
        Plan plan = Planner.plan(base, Facts.healthy().build(), AT);
        assertThat(((Action.RunCommand) step(plan, "outage.stop-old").action()).argv())
                .containsExactly("pg_ctlcluster", "15", "sales", "stop", "-m", "fast");
        assertThat(fence(plan).action()).isEqualTo(Action.FenceOldCluster.startConf("/etc/postgresql/15/sales",
                "/etc/postgresql/18/sales"));
    }

    @Test
    void systemdUnitsAreDisabledAndEnabledByTheirNames() {
        Plan plan = Planner.plan(inventory(UpgradeMode.COPY, false,
                new ServiceControl(ServiceControl.Kind.SYSTEMD, "postgresql@15-main"), null,
                new ServiceControl(ServiceControl.Kind.SYSTEMD, "postgresql@18-main")), Facts.healthy().build(), AT);
        Action.FenceOldCluster f = (Action.FenceOldCluster) fence(plan).action();
        assertThat(f).isEqualTo(Action.FenceOldCluster.systemd("postgresql@15-main", "postgresql@18-main"));
        assertThat(f.systemdFence()).containsExactly(
                List.of("systemctl", "disable", "--", "postgresql@15-main"),
                List.of("systemctl", "enable", "--", "postgresql@18-main"));
        assertThat(f.systemdUndo()).containsExactly(
                List.of("systemctl", "disable", "--", "postgresql@18-main"),
                List.of("systemctl", "enable", "--", "postgresql@15-main"));
        assertThat(PlanMarkdown.render(plan)).contains("systemctl disable -- postgresql@15-main",
                "systemctl enable -- postgresql@18-main");
        assertThat(ids(plan)).doesNotContain("prepare.config-dir");
    }

    @Test
    void aPlainPgCtlClusterHasNoDebianSteps() {
        assertThat(ids(plan(UpgradeMode.COPY, false))).doesNotContain("prepare.config-root", "prepare.config-dir",
                "prepare.config", "prepare.start-conf", "prepare.ident");
    }
}
