package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.Probe;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

/** Can only fire on sources older than 15: PostgreSQL 15 cannot hold the problem, so no integration test. */
class IncompatiblePolymorphicsTest {
    private final IncompatiblePolymorphics check = new IncompatiblePolymorphics();

    @Test
    void gateAndVersionDependentFunctionList() {
        assertThat(check.appliesTo(path(13, 18))).isTrue();
        assertThat(check.appliesTo(path(14, 18))).isFalse();
        assertThat(IncompatiblePolymorphics.changedFunctions(path(902, 18))).hasSize(3);
        assertThat(IncompatiblePolymorphics.changedFunctions(path(903, 18))).hasSize(5);
        assertThat(IncompatiblePolymorphics.changedFunctions(path(12, 18))).hasSize(9)
                .contains("width_bucket(anyelement,anyarray)");
        Probe p = check.probes(path(12, 18)).get(0);
        assertThat(p.sql()).contains("'array_position(anyarray,anyelement,integer)'", "a.aggtranstype",
                "o.oprcode = ANY");
        assertThat(check.probes(path(902, 18)).get(0).sql()).doesNotContain("array_remove");
    }

    @Test
    void firesAndFixes() {
        Facts f = Facts.healthy();
        f.probe(check.id(), "shop", "kind", "aggregate", "schema_name", "public", "object_name", "array_accum",
                "arguments", "anyelement");
        f.probe(check.id(), "shop", "kind", "operator", "schema_name", "public", "object_name", "+++",
                "arguments", "anyarray, anyelement");
        Finding x = check.evaluate(input(f, 13, 18)).get(0);
        assertThat(x.objects()).containsExactly("db shop: aggregate public.array_accum(anyelement)",
                "db shop: operator public.+++ (anyarray, anyelement)");
        assertThat(x.fix()).endsWith("""
                -- in database shop:
                DROP AGGREGATE "public"."array_accum"(anyelement);
                DROP OPERATOR "public".+++ (anyarray, anyelement);""");
    }
}
