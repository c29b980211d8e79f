package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.SourceFacts.PreparedTransactionFacts;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What stands in the way of the migration's slots: other consumers' slots, open and prepared transactions. */
class SlotsAndTransactionsTest {
    @Test
    void noSlotsNoTransactionsNothingSaid() {
        Facts f = Facts.healthy();
        assertThat(Logical.run(new OtherConsumersSlots(), f)).isEmpty();
        assertThat(Logical.run(new LongRunningTransactions(), f)).isEmpty();
        assertThat(Logical.run(new PreparedTransactions(), f)).isEmpty();
    }

    @Test
    void activeSlotsOfOtherConsumersAreNoted() {
        Facts f = Facts.healthy();
        f.slots.add(Facts.slot("debezium", "logical", true, 2048, 0));
        Finding x = Logical.one(new OtherConsumersSlots(), f);
        assertThat(x.severity()).isEqualTo(Severity.INFO);
        assertThat(x.detail()).contains("slot debezium (logical, database shop, active, retains 2 KiB of WAL)");
    }

    @Test
    void inactiveSlotsAreAWarningWithTheirRetainedWal() {
        Facts f = Facts.healthy();
        f.slots.add(Facts.slot("old standby", "physical", false, 3L << 30, -1));
        f.slots.add(Facts.slot("debezium", "logical", true, 2048, 0));
        Finding x = Logical.one(new OtherConsumersSlots(), f);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.title()).isEqualTo("2 replication slot(s) of other consumers on blue, 1 inactive");
        assertThat(x.objects()).containsExactly("slot \"old standby\" (physical, inactive, retains 3 GiB of WAL)",
                "slot debezium (logical, database shop, active, retains 2 KiB of WAL)");
        assertThat(x.fix()).endsWith("SELECT pg_catalog.pg_drop_replication_slot('old standby');");
    }

    @Test
    void longTransactionsNameTheSessionNotItsQuery() {
        Facts f = Facts.healthy().probe(LongRunningTransactions.ID, "postgres", "pid", "4242", "database_name", "shop",
                "user_name", "app", "application_name", "billing", "state", "idle in transaction", "has_xid", "true",
                "seconds", "7380");
        Finding x = Logical.one(new LongRunningTransactions(), f);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.title()).isEqualTo("1 transaction(s) open for more than 5 minutes on blue");
        assertThat(x.objects()).containsExactly("pid 4242 in db shop (user app, application billing, idle in"
                + " transaction, open 2 h 3 min, has written: blocks slot creation)");
        assertThat(x.detail()).contains("CREATE SUBSCRIPTION hangs");
        assertThat(LongRunningTransactions.SQL).doesNotContain("query");
    }

    @Test
    void preparedTransactionsDelayTheSlot() {
        Facts f = Facts.healthy();
        f.prepared.add(new PreparedTransactionFacts("xa-1", "shop", "app", "2026-11-24 09:00:00+00"));
        Finding x = Logical.one(new PreparedTransactions(), f);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.check()).isEqualTo("logical-prepared-transactions");
        assertThat(x.objects()).containsExactly("prepared transaction 'xa-1' in db shop (owner app, prepared at"
                + " 2026-11-24 09:00:00+00)");
        assertThat(x.fix()).contains("shop: COMMIT PREPARED 'xa-1'; or ROLLBACK PREPARED 'xa-1';");
    }
}
