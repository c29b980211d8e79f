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

class UnicodeUpdateTest {
    private final UnicodeUpdate check = new UnicodeUpdate();

    private static Facts affected(Facts f) {
        f.probe("unicode-update", "shop", "schema_name", "public", "relation_name", "users_lower_email", "relkind", "i");
        f.probe("unicode-update", "shop", "schema_name", "public", "relation_name", "Name Stats", "relkind", "m");
        f.probe("unicode-update", "shop", "schema_name", "public", "relation_name", "users", "relkind", "r");
        return f;
    }

    @Test
    void appliesFrom17WhenTheTargetsUnicodeVersionIsKnown() {
        assertThat(check.appliesTo(path(15, 18))).as("no builtin provider before 17").isFalse();
        assertThat(check.appliesTo(path(17, 18))).isTrue();
        assertThat(check.appliesTo(path(18, 18))).isTrue();
        assertThat(check.appliesTo(path(18, 19))).as("unknown Unicode version: not guessed").isFalse();
        List<Probe> probes = check.probes(path(17, 18));
        assertThat(probes).extracting(Probe::id).containsExactly("unicode-update.version", "unicode-update");
        assertThat(probes.get(0).scope()).isEqualTo(Probe.Scope.CLUSTER);
        assertThat(probes.get(1).scope()).isEqualTo(Probe.Scope.EACH_DATABASE);
        assertThat(UnicodeVersions.of(18)).contains("16.0");
        assertThat(UnicodeVersions.of(17)).contains("15.1");
    }

    @Test
    void warnsWhenTheUnicodeVersionChanges() {
        Facts f = affected(Facts.healthy()).probe("unicode-update.version", "postgres", "unicode_version", "15.1");
        Finding x = check.evaluate(input(f, 17, 18)).get(0);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.detail()).startsWith("The source uses Unicode 15.1, PostgreSQL 18 uses Unicode 16.0.");
        assertThat(x.objects()).containsExactly("db shop: index public.users_lower_email",
                "db shop: materialized view public.\"Name Stats\"",
                "db shop: table public.users (CHECK constraint or partition key)");
        assertThat(x.fix()).isEqualTo("""
                After the upgrade, rebuild what depends on Unicode:
                -- in database shop:
                REINDEX INDEX "public"."users_lower_email";
                REFRESH MATERIALIZED VIEW "public"."Name Stats";
                -- "public"."users": check that its rows still satisfy its CHECK constraints and sit in the right \
                partitions""");
    }

    @Test
    void quietWhenTheVersionIsTheSame() {
        Facts f = affected(Facts.healthy()).probe("unicode-update.version", "postgres", "unicode_version", "16.0");
        assertThat(check.evaluate(input(f, 18, 18))).isEmpty();
    }

    @Test
    void withoutTheVersionProbeTheSourcesVersionComesFromTheTable() {
        assertThat(check.evaluate(input(affected(Facts.healthy()), 17, 18))).hasSize(1);
        assertThat(check.evaluate(input(affected(Facts.healthy()), 18, 18))).isEmpty();
    }

    @Test
    void quietWithoutAffectedRelations() {
        Facts f = Facts.healthy().probe("unicode-update.version", "postgres", "unicode_version", "15.1");
        assertThat(check.evaluate(input(f, 17, 18))).isEmpty();
    }
}
