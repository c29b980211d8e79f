package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HaManagersTest {
    private final HaManagers check = new HaManagers();

    @Test
    void nothingRunsNothingToSay() {
        assertThat(Run.check(check, Facts.healthy())).isEmpty();
    }

    @Test
    void patroniTheInventoryDoesNotDescribeIsABlocker() {
        Facts f = Facts.healthy();
        f.haManagers.add("patroni");
        assertThat(Run.check(check, f)).singleElement().satisfies(b -> {
            assertThat(b.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(b.objects()).singleElement().asString().contains("is Patroni's");
            assertThat(b.fix()).contains("ha.patroni");
        });
    }

    @Test
    void patroniTheInventoryDescribesIsTheOtherChecksConcern() {
        Facts f = Facts.healthy();
        f.haManagers.add("patroni");
        assertThat(Run.check(check, f, Inventories.withPatroni(io.pgmigrate.inventory.Inventory.UpgradeMode.LINK))).isEmpty();
    }

    @Test
    void repmgrdIsAWarningToPauseIt() {
        Facts f = Facts.healthy();
        f.haManagers.add("repmgrd");
        List<Finding> found = Run.check(check, f);
        assertThat(found).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Severity.WARNING);
            assertThat(w.fix()).contains("repmgr service pause");
        });
    }
}
