package io.pgmigrate.check.catalog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FixScriptTest {
    @Test
    void groupsByDatabaseAndDropsDuplicates() {
        FixScript f = new FixScript();
        f.add("shop", "ALTER A;");
        f.add("My DB", "ALTER B;");
        f.add("shop", "ALTER A;");
        f.add("shop", "ALTER C;");
        assertThat(f.render("Do this:")).isEqualTo("""
                Do this:
                -- in database shop:
                ALTER A;
                ALTER C;
                -- in database "My DB":
                ALTER B;""");
    }

    @Test
    void clusterWideStatementsHaveNoHeader() {
        FixScript f = new FixScript();
        f.add(FixScript.ANY_DATABASE, "ALTER DATABASE \"x\" ALLOW_CONNECTIONS true;");
        assertThat(f.render("Lead:")).isEqualTo("Lead:\nALTER DATABASE \"x\" ALLOW_CONNECTIONS true;");
        assertThat(new FixScript().isEmpty()).isTrue();
    }
}
