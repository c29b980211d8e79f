package io.pgmigrate.replication;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionsTest {
    private static final PublisherConnection GREEN = new PublisherConnection("db2", 5433, "postgres", "it's", null);
    private static final ReplicationNames TO_BLUE = ReplicationNames.of("pgmigrate_", "blue", "it's");

    @Test
    void theInitialCopyCopiesAndCreatesItsNamedSlot() {
        ReplicationNames names = ReplicationNames.of("pgmigrate_", "green", "shop");
        String sql = Subscriptions.createSql(SubscriptionSpec.initialCopy(names,
                new PublisherConnection("db1", 5432, "postgres", "shop", "require")), 180000);
        assertThat(sql).isEqualTo("CREATE SUBSCRIPTION \"pgmigrate_green_shop\" CONNECTION"
                + " 'host=''db1'' port=5432 user=''postgres'' dbname=''shop'' sslmode=''require'''"
                + " PUBLICATION \"pgmigrate_green_shop\""
                + " WITH (copy_data = true, create_slot = true, slot_name = 'pgmigrate_green_shop')");
    }

    @Test
    void theReverseDirectionCopiesNothingAndTakesOnlyLocalChangesOnSixteenAndLater() {
        String sql = Subscriptions.createSql(SubscriptionSpec.withoutCopy(TO_BLUE, GREEN, Origin.NONE), 160000);
        assertThat(sql).startsWith("CREATE SUBSCRIPTION \"pgmigrate_blue_it's\" CONNECTION 'host=''db2'' port=5433"
                        + " user=''postgres'' dbname=''it\\''s'''")
                .endsWith(" WITH (copy_data = false, create_slot = true, slot_name = '" + TO_BLUE.slot()
                        + "', origin = none)");
    }

    @Test
    void beforeSixteenOriginAnyIsLeftOutAndOriginNoneIsRefused() {
        assertThat(Subscriptions.createSql(SubscriptionSpec.withoutCopy(TO_BLUE, GREEN, Origin.ANY), 150014))
                .doesNotContain("origin");
        assertThatThrownBy(() -> Subscriptions.createSql(SubscriptionSpec.withoutCopy(TO_BLUE, GREEN, Origin.NONE), 150014))
                .hasMessageContaining("origin = none needs a subscriber of PostgreSQL 16 or later (this one is 15)");
    }

    @Test
    void aSlotNameThatPostgresqlWouldRefuseIsRefusedHere() {
        assertThatThrownBy(() -> new SubscriptionSpec("s", GREEN, "p", true, true, "Bad-Slot", null))
                .hasMessageContaining("a-z, 0-9 and _");
    }

    @Test
    void textArraysAsPostgresqlPrintsThem() {
        assertThat(Subscriptions.textArray("{}")).isEmpty();
        assertThat(Subscriptions.textArray("{a,b}")).containsExactly("a", "b");
        assertThat(Subscriptions.textArray("{\"pgmigrate_green_shop \\\"Grün\\\" ü\",x}"))
                .containsExactly("pgmigrate_green_shop \"Grün\" ü", "x");
        assertThat(Subscriptions.textArray("{\"\"}")).containsExactly("");
    }
}
