package io.pgmigrate.planner;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.TargetCluster;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the new cluster gets planner statistics, per target version and strategy: pg_upgrade to 18 carries them (only
 * what is missing is analysed, in the outage); to 17 it carries none, so everything is analysed in stages once
 * clients are back and the plan says why; partitioned tables, which vacuumdb leaves out, are analysed by a statement
 * of their own wherever the statistics were not carried.
 */
class StatisticsAfterUpgradeTest {
    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    private static Inventory to17(Inventory base) {
        TargetCluster t = base.target();
        return new Inventory(base.name(), base.strategy(), base.source(), new TargetCluster(17,
                Path.of("/usr/lib/postgresql/17/bin"), t.dataDir(), t.port(), t.host(), t.service()), base.options(),
                base.cutover(), base.smokeQueries(), base.file());
    }

    private static Facts facts17() {
        Facts f = Facts.healthy();
        f.targetBinDir = "/usr/lib/postgresql/17/bin";
        f.targetVersion = PgVersion.parse("17.7");
        return f;
    }

    private static List<String> ids(Plan plan) {
        return plan.phases().stream().flatMap(p -> p.steps().stream()).map(Step::id).toList();
    }

    private static Step step(Plan plan, String id) {
        return plan.step(id).orElseThrow();
    }

    @Test
    void inPlaceTo18AnalysesOnlyWhatIsMissingInsideTheOutage() {
        Plan plan = Planner.plan(Inventories.sample(), Facts.healthy().build(), AT);
        assertThat(ids(plan)).contains("post.analyze-missing", "post.analyze-all")
                .noneMatch(id -> id.startsWith("post.analyze-partitioned") || id.equals("post.analyze"));
        assertThat(step(plan, "post.analyze-missing").inOutage()).isTrue();
    }

    @Test
    void inPlaceTo17AnalysesEverythingInStagesAfterTheOutageAndSaysWhy() {
        Plan plan = Planner.plan(to17(Inventories.withMode(UpgradeMode.LINK)), facts17().build(), AT);
        assertThat(ids(plan)).doesNotContain("post.analyze-missing", "post.analyze-all")
                .containsSubsequence("post.analyze", "post.analyze-partitioned.postgres");
        Step analyze = step(plan, "post.analyze");
        assertThat(analyze.inOutage()).isFalse();
        assertThat(analyze.why()).contains("PostgreSQL 17's pg_upgrade carries no planner statistics over");
        assertThat(((Action.RunCommand) analyze.action()).argv())
                .contains("/usr/lib/postgresql/17/bin/vacuumdb", "--analyze-in-stages").doesNotContain("--missing-stats-only");
        assertThat(((Action.RunSql) step(plan, "post.analyze-partitioned.postgres").action()).sql())
                .contains("ANALYZE %s", "NOT c.relispartition").doesNotContain("ONLY");
    }

    @Test
    void blueGreenAnalysesThePartitionedTablesOfEveryDatabaseOnGreen() {
        Plan plan = Planner.plan(Inventories.logical(), Facts.healthy().build(), AT);
        assertThat(ids(plan)).containsSubsequence("post.analyze", "post.analyze-partitioned.postgres",
                "post.verify-schema");
        Action.RunSql sql = (Action.RunSql) step(plan, "post.analyze-partitioned.postgres").action();
        assertThat(sql.endpoint()).isEqualTo(Action.Endpoint.TARGET);
        assertThat(sql.sql()).isEqualTo(PartitionedStatistics.analyzeSql(18)).contains("ANALYZE ONLY %s");
    }

    @Test
    void databaseTokensAreThemselvesWhenPlainAndFoldedAndHashedOtherwise() {
        assertThat(DatabaseToken.of("shop_2")).isEqualTo("shop_2");
        assertThat(DatabaseToken.of("my \"db\"")).matches("my__db__[0-9a-f]{8}");
        assertThat(DatabaseToken.of("A")).isNotEqualTo(DatabaseToken.of("a")).startsWith("a_");
    }
}
