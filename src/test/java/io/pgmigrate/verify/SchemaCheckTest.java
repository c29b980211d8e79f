package io.pgmigrate.verify;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgmigrate.verify.SchemaDiffTest.PG15;
import static io.pgmigrate.verify.SchemaDiffTest.PG18;
import static io.pgmigrate.verify.SchemaDiffTest.inventory;
import static io.pgmigrate.verify.SchemaDiffTest.object;
import static org.assertj.core.api.Assertions.assertThat;

/** The schema check's report: failures one per difference, each explanation given once for what it explains. */
class SchemaCheckTest {
    @Test
    void eachExplanationIsGivenOnceWithTheDifferencesItExplains() {
        SchemaInventory before = inventory(PG15,
                object(SchemaKind.TABLE, "public.a", "acl", "app=arwdDxt/app"),
                object(SchemaKind.TABLE, "public.b", "acl", "app=arwdDxt/app"),
                object(SchemaKind.INDEX, "public.i", "definition", "CREATE INDEX i ON public.a (x)"));
        SchemaInventory after = inventory(PG18,
                object(SchemaKind.TABLE, "public.a", "acl", "app=arwdDxtm/app"),
                object(SchemaKind.TABLE, "public.b", "acl", "app=arwdDxtm/app"));
        CheckResult r = SchemaCheck.compare(List.of(before), List.of(after));
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.FAILED);
        assertThat(r.problems()).containsExactly("db shop: index public.i: missing after"
                + " (was: CREATE INDEX i ON public.a (x))");
        assertThat(r.summary()).endsWith("2 expected differences explained");
        assertThat(r.notes()).singleElement().asString()
                .startsWith("db shop, expected — PostgreSQL 17 added the MAINTAIN privilege")
                .contains(": table public.a: acl changed from 'app=arwdDxt/app' to 'app=arwdDxtm/app';"
                        + " table public.b: acl changed")
                .containsOnlyOnce("MAINTAIN").doesNotContain("(expected");
    }
}
