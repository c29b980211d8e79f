package io.pgmigrate.planner;

import io.pgmigrate.check.cluster.FingerprintsAvailable;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.RowCountMode;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data fingerprints need PostgreSQL 14: from a 13 source the plan warns once and leaves them out of every verify step
 * (they would otherwise fail post.verify after clients were switched to green); from 15 they stay as asked.
 */
class FingerprintsFrom13Test {
    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    private static Inventory inv(Inventory base, RowCountMode counts) {
        Inventory.Options o = base.options();
        return new Inventory(base.name(), base.strategy(), base.source(), base.target(), new Inventory.Options(o.mode(),
                o.jobs(), new Inventory.Verify(counts, false, true, false), o.replicationSslmode()),
                new Inventory.Cutover(null, List.of("/usr/local/bin/point-clients")), base.smokeQueries(), base.file());
    }

    private static Facts source(String version) {
        Facts f = Facts.healthy();
        f.version = PgVersion.parse(version);
        f.binariesVersion = f.version;
        return f;
    }

    private static List<Action.Verify> verifySteps(Plan plan) {
        return plan.phases().stream().flatMap(p -> p.steps().stream()).map(s -> s.action())
                .filter(a -> a instanceof Action.Verify).map(a -> (Action.Verify) a).toList();
    }

    private static List<Finding> warned(Plan plan) {
        return plan.findings().stream().filter(f -> f.check().equals(FingerprintsAvailable.ID)).toList();
    }

    @Test
    void fromA13BlueTheBlueGreenPlanComparesRowCountsOnlyAndSaysSo() {
        Plan plan = Planner.plan(inv(Inventories.logical(), RowCountMode.FAST), source("13.23").build(), AT);
        assertThat(verifySteps(plan)).isNotEmpty().noneMatch(Action.Verify::fingerprints);
        assertThat(warned(plan)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.title()).contains("PostgreSQL 13", "row counts only");
            assertThat(f.fix()).contains("options.verify.rowCounts: exact (it is fast)");
        });
        String md = io.pgmigrate.plan.PlanMarkdown.render(plan);
        assertThat(md).doesNotContain("and per-table data fingerprints", "and data fingerprints");
    }

    @Test
    void inPlaceFrom13LeavesThemOutOfTheBaselineAndTheComparison() {
        Plan plan = Planner.plan(inv(Inventories.sample(), RowCountMode.EXACT), source("13.23").build(), AT);
        assertThat(verifySteps(plan)).isNotEmpty().noneMatch(Action.Verify::fingerprints);
        assertThat(warned(plan)).singleElement().satisfies(f -> assertThat(f.fix()).startsWith("nothing to do"));
    }

    @Test
    void fromA15BlueTheyStayAsAskedWithoutAWarning() {
        Plan plan = Planner.plan(inv(Inventories.logical(), RowCountMode.EXACT), source("15.18").build(), AT);
        assertThat(verifySteps(plan).stream().filter(v -> v.scope() == Action.Verify.Scope.DATA))
                .isNotEmpty().allMatch(Action.Verify::fingerprints);
        assertThat(warned(plan)).isEmpty();
    }
}
