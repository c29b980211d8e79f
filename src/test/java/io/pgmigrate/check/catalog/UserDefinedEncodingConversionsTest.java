package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

/** Can only fire on sources older than 15: PostgreSQL 15 cannot hold the problem, so no integration test. */
class UserDefinedEncodingConversionsTest {
    private final UserDefinedEncodingConversions check = new UserDefinedEncodingConversions();

    @Test
    void gate() {
        assertThat(check.appliesTo(path(13, 18))).isTrue();
        assertThat(check.appliesTo(path(906, 14))).isTrue();
        assertThat(check.appliesTo(path(14, 18))).isFalse();
        assertThat(check.appliesTo(path(15, 18))).isFalse();
        assertThat(check.appliesTo(path(12, 13))).isFalse();
        assertThat(check.probes(path(13, 18)).get(0).sql()).contains("FROM pg_catalog.pg_conversion c",
                "c.oid >= 16384");
    }

    @Test
    void firesAndFixes() {
        Facts f = Facts.healthy().probe(check.id(), "shop", "schema_name", "public", "conversion_name", "My Conv");
        Finding x = check.evaluate(input(f, 13, 18)).get(0);
        assertThat(x.check()).isEqualTo("user-defined-encoding-conversions");
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly("db shop: conversion public.\"My Conv\"");
        assertThat(x.fix()).endsWith("-- in database shop:\nDROP CONVERSION \"public\".\"My Conv\";");
        assertThat(check.evaluate(input(Facts.healthy(), 13, 18))).isEmpty();
    }
}
