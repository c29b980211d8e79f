package io.pgmigrate.execute;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogicalChecksTest {
    @Test
    void readsTheQuotedNameAStatementStartsWith() {
        assertThat(LogicalChecks.quotedName("\"pgmigrate_shop\" FOR ALL TABLES")).hasValue("pgmigrate_shop");
        assertThat(LogicalChecks.quotedName("\"pgmigrate_my \"\"db\"\"_1a2b\" CONNECTION 'x'"))
                .hasValue("pgmigrate_my \"db\"_1a2b");
        assertThat(LogicalChecks.quotedName("pgmigrate_shop FOR ALL TABLES")).isEmpty();
        assertThat(LogicalChecks.quotedName("\"unterminated")).isEmpty();
    }
}
