package io.pgmigrate.replication;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationNamesTest {
    @Test
    void aPlainDatabaseKeepsItsNameEverywhere() {
        ReplicationNames n = ReplicationNames.of("pgmigrate_", "green", "shop");
        assertThat(n.publication()).isEqualTo("pgmigrate_green_shop");
        assertThat(n.subscription()).isEqualTo("pgmigrate_green_shop");
        assertThat(n.slot()).isEqualTo("pgmigrate_green_shop");
    }

    @Test
    void anAwkwardDatabaseKeepsItsNameInThePublicationAndGetsAFoldedHashedSlot() {
        ReplicationNames n = ReplicationNames.of("pgmigrate_", "green", "Shop \"Grün\"");
        assertThat(n.publication()).isEqualTo("pgmigrate_green_Shop \"Grün\"");
        assertThat(n.slot()).matches("pgmigrate_green_shop__gr_n__[0-9a-f]{8}");
        // folding alone would give both databases the same slot
        assertThat(ReplicationNames.of("pgmigrate_", "green", "shop-a").slot())
                .isNotEqualTo(ReplicationNames.of("pgmigrate_", "green", "shop_a").slot())
                .startsWith("pgmigrate_green_shop_a_");
        assertThat(ReplicationNames.of("pgmigrate_", "green", "shop_a").slot()).isEqualTo("pgmigrate_green_shop_a");
    }

    @Test
    void aPrefixThatASlotNameCannotHoldIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplicationNames.of("PGM-", "green", "shop"))
                .hasMessageContaining("a-z, 0-9 and _");
    }

    @Test
    void longNamesAreCutToSixtyThreeBytesWithAHashSoTheyStayDistinct() {
        String db = "ü".repeat(40);
        ReplicationNames a = ReplicationNames.of("pgmigrate_", "green", db);
        ReplicationNames b = ReplicationNames.of("pgmigrate_", "green", db + "x");
        assertThat(a.publication().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(a.publication()).startsWith("pgmigrate_green_ü").isNotEqualTo(b.publication());
        assertThat(a.slot().length()).isLessThanOrEqualTo(63);
        assertThat(a.slot()).matches("[a-z0-9_]+").isNotEqualTo(b.slot());
    }
}
