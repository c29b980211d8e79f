package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

/** Can only fire on sources older than 15: PostgreSQL 15 cannot hold the problem, so no integration test. */
class PostfixOperatorsTest {
    private final PostfixOperators check = new PostfixOperators();

    @Test
    void gate() {
        assertThat(check.appliesTo(path(13, 18))).isTrue();
        assertThat(check.appliesTo(path(14, 18))).isFalse();
        assertThat(check.probes(path(12, 18)).get(0).sql()).contains("o.oprright = 0", "o.oid >= 16384");
    }

    @Test
    void firesAndFixes() {
        Facts f = Facts.healthy().probe(check.id(), "shop", "schema_name", "Math", "operator_name", "!",
                "left_type", "bigint");
        Finding x = check.evaluate(input(f, 12, 18)).get(0);
        assertThat(x.objects()).containsExactly("db shop: operator \"Math\".! (bigint, NONE)");
        assertThat(x.fix()).endsWith("\nDROP OPERATOR \"Math\".! (bigint, NONE);");
        assertThat(check.evaluate(input(Facts.healthy(), 12, 18))).isEmpty();
    }
}
