package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** wal_level, slots and senders, workers: what each side needs for replication there and back. */
class ReplicationSettingsChecksTest {
    private static Facts logicalLevel() {
        Facts f = Facts.healthy();
        f.settings.put("wal_level", "logical");
        return f;
    }

    @Test
    void walLevelReplicaIsAWarningThatThePlanRestartsBlue() {
        Finding x = Logical.one(new WalLevel(), Facts.healthy());
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.title()).isEqualTo("wal_level is replica: blue must be restarted with wal_level = logical");
        assertThat(x.detail()).contains("restart", "The plan contains that restart of blue");
        assertThat(x.objects()).containsExactly("blue: wal_level = replica");
        assertThat(x.fix()).contains("ALTER SYSTEM SET wal_level = logical");
    }

    @Test
    void walLevelLogicalIsFine() {
        assertThat(Logical.run(new WalLevel(), logicalLevel())).isEmpty();
    }

    @Test
    void defaultsCarryTwoDatabases() {
        // 2 databases × (1 subscription + 2 sync workers) = 6 slots and senders, of 10
        assertThat(Logical.run(new SlotsAndSenders(), logicalLevel())).isEmpty();
    }

    @Test
    void tooFewSlotsOnBlueWithoutAPlannedRestartIsABlocker() {
        Facts f = logicalLevel();
        f.settings.put("max_replication_slots", "8");
        f.slots.add(Facts.slot("cdc", "logical", true, 1000, 0));
        f.slots.add(Facts.slot("standby1", "physical", false, 1000, -1));
        f.slots.add(Facts.slot("standby2", "physical", false, 1000, -1));
        Finding x = Logical.one(new SlotsAndSenders(), f);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly("blue: max_replication_slots = 8 (running), needs 9 (3 existing slot(s)"
                + " + 2 database(s) × (1 subscription + 2 table synchronisation workers))");
        assertThat(x.fix()).isEqualTo("on blue: ALTER SYSTEM SET max_replication_slots = 9; then restart blue and"
                + " plan again");
    }

    @Test
    void tooFewSendersOnBlueBeforeThePlannedRestartIsAWarning() {
        Facts f = Facts.healthy();
        f.settings.put("max_wal_senders", "5");
        Finding x = Logical.one(new SlotsAndSenders(), f);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.objects()).singleElement().asString().startsWith("blue: max_wal_senders = 5 (running), needs 6");
        assertThat(x.fix()).contains("before the planned restart", "ALTER SYSTEM SET max_wal_senders = 6;");
    }

    @Test
    void greenCarriesBluesConfiguredValuesForReverseReplication() {
        Facts f = logicalLevel();
        f.nonDefaultSettings.put("max_wal_senders", "1");
        List<Finding> found = Logical.run(new SlotsAndSenders(), f);
        assertThat(found).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.INFO);
            assertThat(x.title()).contains("Green", "replication slots or WAL senders");
            assertThat(x.fix()).contains("max_wal_senders = 2", "step green.settings");
            assertThat(x.objects()).containsExactly("green: max_wal_senders = 1 (carried over from blue's"
                    + " configuration), needs 2 (one reverse subscription per database)");
        });
    }

    @Test
    void greenWithPostgres18DefaultsHasTooFewWorkersForAFullyParallelCopy() {
        Finding x = Logical.one(new ApplyWorkers(), logicalLevel());
        assertThat(x.severity()).isEqualTo(Severity.INFO);
        assertThat(x.title()).isEqualTo("Green is created with more logical replication workers");
        assertThat(x.objects()).containsExactly("green: max_logical_replication_workers = 4 (PostgreSQL 18's"
                + " default), needs 6 (2 apply worker(s) + 2 × 2 table synchronisation workers)");
        assertThat(x.fix()).startsWith("nothing to do: the plan writes max_logical_replication_workers = 6 into"
                + " green's postgresql.auto.conf");
    }

    @Test
    void workersCarriedFromBlueAreEnough() {
        Facts f = logicalLevel();
        f.nonDefaultSettings.put("max_logical_replication_workers", "6");
        f.nonDefaultSettings.put("max_sync_workers_per_subscription", "2");
        assertThat(Logical.run(new ApplyWorkers(), f)).isEmpty();
        f.nonDefaultSettings.put("max_sync_workers_per_subscription", "4");
        assertThat(Logical.one(new ApplyWorkers(), f).objects()).containsExactly(
                "green: max_logical_replication_workers = 6 (carried over from blue's configuration), needs 10"
                        + " (2 apply worker(s) + 2 × 4 table synchronisation workers)",
                "green: max_worker_processes = 8 (PostgreSQL 18's default), needs 11 (the logical replication"
                        + " workers + their launcher)");
    }

    @Test
    void blueNeedsWorkersAndOriginsForReverseReplication() {
        Facts f = logicalLevel();
        f.nonDefaultSettings.put("max_logical_replication_workers", "6");
        f.settings.put("max_logical_replication_workers", "1");
        f.settings.put("max_replication_slots", "1");
        List<Finding> found = Logical.run(new ApplyWorkers(), f);
        Finding x = found.stream().filter(g -> g.title().startsWith("Blue")).findFirst().orElseThrow();
        assertThat(x.objects()).containsExactly(
                "blue: max_logical_replication_workers = 1 (running), needs 2 (one apply worker per reverse"
                        + " subscription)",
                "blue: max_replication_slots = 1 (running), needs 2 (one replication origin per reverse subscription)");
        assertThat(x.fix()).endsWith("ALTER SYSTEM SET max_logical_replication_workers = 2;"
                + " ALTER SYSTEM SET max_replication_slots = 2;");
    }

    @Test
    void templatesAndClosedDatabasesGetNoSubscription() {
        Facts f = logicalLevel();
        f.settings.put("max_replication_slots", "3");
        f.databases.add(new io.pgmigrate.facts.SourceFacts.DatabaseFacts("template1", "UTF8", "C", "C", "libc", null,
                true, -1, true, 1, 1, List.of(), 1));
        assertThat(Logical.run(new SlotsAndSenders(), f)).singleElement()
                .satisfies(x -> assertThat(x.objects().get(0)).contains("needs 6", "2 database(s)"));
    }
}
