package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static org.assertj.core.api.Assertions.assertThat;

class UnloggedTablesTest {
    private final UnloggedTables check = new UnloggedTables();

    @Test
    void quietWithoutUnloggedRelations() {
        assertThat(check.evaluate(input(Facts.healthy()))).isEmpty();
    }

    @Test
    void listsThemForTheRecord() {
        Facts f = Facts.healthy();
        f.probe("unlogged-tables", "shop", "schema_name", "public", "relation_name", "Sessions", "relkind", "r");
        f.probe("unlogged-tables", "shop", "schema_name", "public", "relation_name", "session_seq", "relkind", "S");
        Finding x = check.evaluate(input(f)).get(0);
        assertThat(x.severity()).isEqualTo(Severity.INFO);
        assertThat(x.objects()).containsExactly("db shop: public.\"Sessions\"", "db shop: sequence public.session_seq");
        assertThat(x.detail()).contains("Standbys rebuilt with rsync");
    }
}
