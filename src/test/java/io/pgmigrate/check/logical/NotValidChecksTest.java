package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** NOT VALID check constraints: named, and said to come to green after the initial copy. */
class NotValidChecksTest {
    @Test
    void noneNothingSaid() {
        assertThat(Logical.run(new NotValidChecks(), Facts.healthy())).isEmpty();
    }

    @Test
    void eachIsNamedWithItsDefinitionAsInformation() {
        Facts f = Facts.healthy().probe(NotValidChecks.ID, "shop", "schema_name", "public", "relation_name", "Orders",
                "constraint_name", "positive", "kind", "table", "definition", "CHECK ((id > 0)) NOT VALID");
        Finding x = Logical.one(new NotValidChecks(), f);
        assertThat(x.severity()).isEqualTo(Severity.INFO);
        assertThat(x.title()).isEqualTo("1 NOT VALID check constraint(s): created on green after the initial copy");
        assertThat(x.objects()).containsExactly("db shop: public.\"Orders\": positive CHECK ((id > 0)) NOT VALID");
        assertThat(x.fix()).contains("adds them back, NOT VALID as on blue, once the initial copy is done");
    }
}
