package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.Probe;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

/** Can only fire on sources older than 15: PostgreSQL 15 cannot hold the problem, so no integration test. */
class PgRolePrefixTest {
    private final PgRolePrefix check = new PgRolePrefix();

    @Test
    void gate() {
        assertThat(check.appliesTo(path(905, 18))).isTrue();
        assertThat(check.appliesTo(path(906, 18))).isFalse();
        assertThat(check.appliesTo(path(15, 18))).isFalse();
        assertThat(check.probes(path(905, 18)).get(0).scope()).isEqualTo(Probe.Scope.CLUSTER);
    }

    @Test
    void firesAndFixes() {
        Facts f = Facts.healthy().probe(check.id(), "postgres", "role_name", "pg_app");
        Finding x = check.evaluate(input(f, 905, 18)).get(0);
        assertThat(x.objects()).containsExactly("role pg_app");
        assertThat(x.fix()).endsWith("\nALTER ROLE \"pg_app\" RENAME TO \"app_role\";");
    }
}
