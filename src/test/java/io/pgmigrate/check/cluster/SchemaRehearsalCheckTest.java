package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.RehearsalFacts;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaRehearsalCheckTest {
    private static List<Finding> run(RehearsalFacts r) {
        Facts f = Facts.healthy();
        f.rehearsal = r;
        return new SchemaRehearsalCheck().evaluate(new CheckInput(Inventories.sample(), f.build(),
                new UpgradePath(15, 18, UpgradeMode.SWAP)));
    }

    @Test
    void eachRefusedObjectIsABlockerNamedWithItsDatabaseAndError() {
        Finding f = run(new RehearsalFacts(true, null, List.of("postgres", "shop"), List.of(
                new RehearsalFacts.RestoreError("shop", "VIEW bgwriter_report (owner postgres)",
                        "column \"checkpoints_timed\" does not exist")))).get(0);
        assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(f.title()).isEqualTo("1 object(s) cannot be restored in PostgreSQL 18");
        assertThat(f.objects()).containsExactly(
                "shop: VIEW bgwriter_report (owner postgres): column \"checkpoints_timed\" does not exist");
    }

    @Test
    void aCleanRehearsalIsANoteNamingTheDatabases() {
        Finding f = run(new RehearsalFacts(true, null, List.of("postgres", "shop"), List.of())).get(0);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.detail()).contains("2 database(s) (postgres, shop)");
    }

    @Test
    void skippedOrImpossibleRehearsalsAreWarnings() {
        assertThat(run(null)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.title()).contains("--no-rehearsal");
        });
        assertThat(run(RehearsalFacts.skipped("no scratch dir"))).singleElement()
                .satisfies(f -> assertThat(f.detail()).isEqualTo("no scratch dir"));
    }
}
