package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

class RowsCheckTest {
    /** One object per row; a statement for each, except none for rows named "quiet". */
    private static final class Things extends RowsCheck {
        Things(Probe.Scope scope) {
            super("things", scope, Severity.WARNING, "Title", "Detail.", "Lead:");
        }

        @Override
        String sql(UpgradePath path) {
            return "SELECT 1 AS name";
        }

        @Override
        String object(ProbeRow r) {
            return "thing " + r.get("name") + " in " + r.database();
        }

        @Override
        String fix(ProbeRow r) {
            return "quiet".equals(r.get("name")) ? null : "FIX " + r.get("name") + ";";
        }
    }

    @Test
    void oneProbeUnderTheChecksId() {
        assertThat(new Things(Probe.Scope.CLUSTER).probes(path(15, 18)))
                .containsExactly(new Probe("things", Probe.Scope.CLUSTER, "SELECT 1 AS name"));
    }

    @Test
    void noRowsNoFinding() {
        assertThat(new Things(Probe.Scope.EACH_DATABASE).evaluate(input(Facts.healthy()))).isEmpty();
    }

    @Test
    void oneFindingListingEveryRowWithItsFixInItsDatabase() {
        Facts f = Facts.healthy().probe("things", "shop", "name", "a").probe("things", "crm", "name", "b")
                .probe("things", "shop", "name", "quiet");
        Finding x = new Things(Probe.Scope.EACH_DATABASE).evaluate(input(f)).get(0);
        assertThat(x).isEqualTo(new Finding("things", Severity.WARNING, "Title", "Detail.",
                List.of("thing a in shop", "thing b in crm", "thing quiet in shop"),
                "Lead:\n-- in database shop:\nFIX a;\n-- in database crm:\nFIX b;"));
    }

    @Test
    void clusterWideRowsAreFixedInAnyDatabase() {
        Facts f = Facts.healthy().probe("things", "postgres", "name", "a");
        assertThat(new Things(Probe.Scope.CLUSTER).evaluate(input(f)).get(0).fix()).isEqualTo("Lead:\nFIX a;");
    }

    @Test
    void withoutStatementsTheLeadIsTheFix() {
        Facts f = Facts.healthy().probe("things", "shop", "name", "quiet");
        assertThat(new Things(Probe.Scope.EACH_DATABASE).evaluate(input(f)).get(0).fix()).isEqualTo("Lead:");
    }
}
