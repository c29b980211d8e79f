package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

class IcuCollationsWithoutIcuTest {
    private final IcuCollationsWithoutIcu check = new IcuCollationsWithoutIcu();

    private static Facts usingIcu() {
        Facts f = Facts.healthy();
        f.probe("icu-collations-without-icu.databases", "postgres", "database_name", "Shop DE", "icu_locale", "de-DE");
        f.probe("icu-collations-without-icu", "shop", "kind", "collation", "schema_name", "public",
                "collation_name", "german_phonebook", "object_type", null, "object_identity", null);
        f.probe("icu-collations-without-icu", "shop", "kind", "use", "schema_name", "pg_catalog",
                "collation_name", "und-x-icu", "object_type", "table column", "object_identity", "public.\"Users\".name");
        return f;
    }

    @Test
    void probesByVersion() {
        List<Probe> p15 = check.probes(path(15, 18));
        assertThat(p15).extracting(Probe::id)
                .containsExactly("icu-collations-without-icu.databases", "icu-collations-without-icu");
        assertThat(p15.get(0).scope()).isEqualTo(Probe.Scope.CLUSTER);
        assertThat(p15.get(0).sql()).contains("d.daticulocale");
        assertThat(check.probes(path(17, 18)).get(0).sql()).contains("d.datlocale");
        assertThat(check.probes(path(14, 18))).as("no ICU databases before 15").extracting(Probe::id)
                .containsExactly("icu-collations-without-icu");
    }

    @Test
    void quietWhenTheTargetHasIcu() {
        assertThat(check.evaluate(input(usingIcu()))).isEmpty();
        Facts plain = usingIcu();
        plain.configureOptions.clear();
        assertThat(check.evaluate(input(plain, 15, 18))).as("configure enables ICU by default from 16").isEmpty();
        Facts quoted = usingIcu();
        quoted.configureOptions.replaceAll(o -> "'" + o + "'");
        assertThat(check.evaluate(input(quoted))).as("pg_config quotes its options").isEmpty();
    }

    @Test
    void quietWhenTheSourceDoesNotUseIcu() {
        Facts f = Facts.healthy();
        f.configureOptions.add("--without-icu");
        assertThat(check.evaluate(input(f))).isEmpty();
    }

    @Test
    void firesWhenTheTargetIsBuiltWithoutIcu() {
        Facts f = usingIcu();
        f.configureOptions.remove("--with-icu");
        f.configureOptions.add("--without-icu");
        Finding x = check.evaluate(input(f)).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.title()).isEqualTo("ICU in use, but the target is built without ICU");
        assertThat(x.objects()).containsExactly("database \"Shop DE\" (ICU locale de-DE)",
                "db shop: collation public.german_phonebook (ICU)",
                "db shop: table column public.\"Users\".name uses collation pg_catalog.\"und-x-icu\"");
        assertThat(x.fix()).startsWith("Use target binaries built with ICU");
    }

    @Test
    void before16NoOptionMeansNoIcu() {
        Facts f = usingIcu();
        f.configureOptions.clear();
        assertThat(check.evaluate(input(f, 12, 15))).hasSize(1);
    }
}
