package io.pgmigrate.check.cluster;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.SourceFacts.SlotFacts;
import io.pgmigrate.facts.SourceFacts.StandbyFacts;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationTest {
    private final Replication check = new Replication();

    @Test
    void nothingWithoutStandbysAndSlots() {
        assertThat(Run.check(check, Facts.healthy())).isEmpty();
    }

    @Test
    void streamingStandbysAreLeftToTheStandbyChecks() {
        Facts f = Facts.healthy();
        f.standbys.add(new StandbyFacts("db2", "10.0.0.2/32", "streaming", "async"));
        assertThat(Run.check(check, f)).isEmpty();
    }

    @Test
    void slotsAreNotCarriedOverFrom15AndInactiveOnesRetainWal() {
        Facts f = Facts.healthy();
        f.slots.add(Facts.slot("cdc", "logical", true, 1000, 0));
        f.slots.add(Facts.slot("old_standby", "physical", false, 5L * Bytes.GIB, -1));
        List<Finding> found = Run.check(check, f);
        assertThat(found).hasSize(2).allMatch(x -> x.severity() == Severity.WARNING);
        assertThat(found.get(0).objects()).containsExactly(
                "slot cdc (logical, plugin pgoutput, database shop, active)", "slot old_standby (physical, inactive)");
        assertThat(found.get(0).detail()).contains("no replication slots from PostgreSQL 15");
        assertThat(found.get(1).objects()).containsExactly("slot old_standby (physical, inactive): retains 5 GiB of WAL");
        assertThat(found.get(1).fix()).contains("SELECT pg_drop_replication_slot('old_standby');");
    }

    @Test
    void from17LogicalSlotsMustBeCaughtUpAndValid() {
        Facts f = Facts.healthy();
        f.version = PgVersion.parse("17.4");
        f.slots.add(Facts.slot("sub_ok", "logical", true, 100, 0));
        f.slots.add(Facts.slot("sub_behind", "logical", true, 100, 4096));
        f.slots.add(new SlotFacts("sub_lost", "logical", "pgoutput", "shop", true, "lost", -1, -1));
        List<Finding> found = Run.check(check, f);
        assertThat(Run.of(found, Severity.BLOCKER)).singleElement()
                .satisfies(x -> assertThat(x.fix()).contains("pg_drop_replication_slot('sub_lost')"));
        assertThat(Run.of(found, Severity.WARNING)).singleElement().satisfies(x -> assertThat(x.objects())
                .containsExactly("slot sub_behind (logical, plugin pgoutput, database shop, active): 4 KiB not yet confirmed"));
    }

    @Test
    void aStandbyAsSourceIsABlocker() {
        Facts f = Facts.healthy();
        f.inRecovery = true;
        assertThat(Run.check(check, f)).singleElement().extracting(Finding::severity).isEqualTo(Severity.BLOCKER);
    }
}
