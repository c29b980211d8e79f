package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaIdentityTest {
    @Test
    void noRowsNoFinding() {
        assertThat(Logical.run(new ReplicaIdentity(), Facts.healthy())).isEmpty();
    }

    @Test
    void tablesWithoutIdentityAreABlockerWithQuotedFixesAndTheirCost() {
        Facts f = Facts.healthy()
                .probe(ReplicaIdentity.ID, "shop", "schema_name", "public", "table_name", "events", "identity", "d",
                        "usable_index", null)
                .probe(ReplicaIdentity.ID, "shop", "schema_name", "Sales", "table_name", "Order Items", "identity", "d",
                        "usable_index", "order_items_code_key")
                .probe(ReplicaIdentity.ID, "Other DB", "schema_name", "public", "table_name", "audit", "identity", "n",
                        "usable_index", null);
        Finding x = Logical.one(new ReplicaIdentity(), f);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.title()).isEqualTo("3 table(s) without a primary key or replica identity");
        assertThat(x.objects()).containsExactly(
                "db shop: public.events (no primary key; no unique index over NOT NULL columns)",
                "db shop: \"Sales\".\"Order Items\" (no primary key; unique index order_items_code_key can serve)",
                "db \"Other DB\": public.audit (REPLICA IDENTITY NOTHING; no unique index over NOT NULL columns)");
        assertThat(x.detail()).contains("every UPDATE and DELETE on them fails",
                "FULL makes every UPDATE and DELETE write the whole old row into the WAL",
                "scanning the whole table, per change");
        assertThat(x.fix().lines()).containsExactly(
                "Before the plan runs, on blue, give each table an identity: a primary key where the data has one,"
                        + " otherwise the unique index shown, otherwise FULL:",
                "-- in database shop:",
                "ALTER TABLE \"public\".\"events\" REPLICA IDENTITY FULL;",
                "ALTER TABLE \"Sales\".\"Order Items\" REPLICA IDENTITY USING INDEX \"order_items_code_key\";",
                "-- in database \"Other DB\":",
                "ALTER TABLE \"public\".\"audit\" REPLICA IDENTITY FULL;");
    }

    @Test
    void aDroppedIdentityIndexIsNamedAsSuch() {
        Facts f = Facts.healthy().probe(ReplicaIdentity.ID, "shop", "schema_name", "public", "table_name", "t",
                "identity", "i", "usable_index", null);
        assertThat(Logical.one(new ReplicaIdentity(), f).objects()).containsExactly(
                "db shop: public.t (its replica identity index no longer exists; no unique index over NOT NULL columns)");
    }

    @Test
    void aDeferrablePrimaryKeyDoesNotServe() {
        Facts f = Facts.healthy().probe(ReplicaIdentity.ID, "shop", "schema_name", "public", "table_name", "t",
                "identity", "d", "usable_index", null, "deferrable_key", "true");
        assertThat(Logical.one(new ReplicaIdentity(), f).objects()).containsExactly(
                "db shop: public.t (its primary key is DEFERRABLE, which cannot serve; no unique index over NOT NULL"
                        + " columns)");
    }

    @Test
    void theProbeOnlyReads() {
        assertThat(ReplicaIdentity.SQL.strip()).startsWith("SELECT").doesNotContainIgnoringCase("ALTER ")
                .doesNotContainIgnoringCase("CREATE ");
    }
}
