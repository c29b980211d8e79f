package io.pgmigrate.check.catalog;

import io.pgmigrate.pg.PgVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NamesTest {
    @Test
    void quotesLikeQuoteIdent() {
        assertThat(Names.ident("orders")).isEqualTo("orders");
        assertThat(Names.ident("order_2024")).isEqualTo("order_2024");
        assertThat(Names.ident("Orders")).isEqualTo("\"Orders\"");
        assertThat(Names.ident("my table")).isEqualTo("\"my table\"");
        assertThat(Names.ident("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Names.ident("user")).isEqualTo("\"user\"");
        assertThat(Names.ident("select")).isEqualTo("\"select\"");
        assertThat(Names.ident("name")).as("unreserved keyword").isEqualTo("name");
        assertThat(Names.ident("2fa")).isEqualTo("\"2fa\"");
        assertThat(Names.qualified("public", "Acl Audit")).isEqualTo("public.\"Acl Audit\"");
        assertThat(Names.inDb("shop")).isEqualTo("db shop: ");
        assertThat(Names.inDb("My Shop")).isEqualTo("db \"My Shop\": ");
        assertThat(Names.ident("x\nDROP DATABASE prod;")).as("no line of its own in a fix")
                .isEqualTo("U&\"x\\000ADROP DATABASE prod;\"");
    }

    @Test
    void versionsCompareLikePgUpgrade() {
        assertThat(PgVersion.scaled(15)).isEqualTo(1500);
        assertThat(PgVersion.scaled(906)).isEqualTo(906);
        assertThat(CheckInputs.path(906, 18).sourceAtMost(1100)).isTrue();
        assertThat(CheckInputs.path(12, 18).sourceAtMost(1100)).isFalse();
        assertThat(PgVersion.majorLabel(906)).isEqualTo("9.6");
        assertThat(PgVersion.majorLabel(18)).isEqualTo("18");
    }
}
