package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

/** Can only fire on sources older than 15: PostgreSQL 15 cannot hold the problem, so no integration test. */
class TablesWithOidsTest {
    private final TablesWithOids check = new TablesWithOids();

    @Test
    void gate() {
        assertThat(check.appliesTo(path(11, 18))).isTrue();
        assertThat(check.appliesTo(path(906, 18))).isTrue();
        assertThat(check.appliesTo(path(12, 18))).isFalse();
        assertThat(check.probes(path(11, 18)).get(0).sql()).contains("c.relhasoids");
    }

    @Test
    void firesAndFixes() {
        Facts f = Facts.healthy().probe(check.id(), "shop", "schema_name", "public", "table_name", "Legacy");
        Finding x = check.evaluate(input(f, 11, 18)).get(0);
        assertThat(x.objects()).containsExactly("db shop: public.\"Legacy\"");
        assertThat(x.fix()).endsWith("\nALTER TABLE \"public\".\"Legacy\" SET WITHOUT OIDS;");
    }
}
