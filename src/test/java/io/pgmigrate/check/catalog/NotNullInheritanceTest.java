package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

class NotNullInheritanceTest {
    private final NotNullInheritance check = new NotNullInheritance();

    private static void row(Facts f, String db, String schema, String table, String column, String ps, String pt) {
        f.probe("not-null-inheritance", db, "schema_name", schema, "table_name", table, "column_name", column,
                "parent_schema", ps, "parent_table", pt);
    }

    @Test
    void appliesFromBefore18To18() {
        assertThat(check.appliesTo(path(15, 18))).isTrue();
        assertThat(check.appliesTo(path(17, 18))).isTrue();
        assertThat(check.appliesTo(path(12, 19))).isTrue();
        assertThat(check.appliesTo(path(18, 18))).isFalse();
        assertThat(check.appliesTo(path(15, 17))).isFalse();
    }

    @Test
    void quietWithoutRows() {
        assertThat(check.evaluate(input(Facts.healthy()))).isEmpty();
    }

    @Test
    void namesChildColumnsTheirParentsAndTheFix() {
        Facts f = Facts.healthy();
        row(f, "shop", "public", "orders_2023", "customer_id", "public", "orders");
        row(f, "shop", "Arch", "Multi Child", "id", "public", "a");
        row(f, "shop", "Arch", "Multi Child", "id", "public", "B");
        Finding x = check.evaluate(input(f)).get(0);
        assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(x.objects()).containsExactly(
                "db shop: public.orders_2023.customer_id (NOT NULL in parent public.orders)",
                "db shop: \"Arch\".\"Multi Child\".id (NOT NULL in parents public.a, public.\"B\")");
        assertThat(x.fix()).isEqualTo("""
                Add the NOT NULL to the children (it fails while a child row holds NULL there: update or delete \
                those rows first):
                -- in database shop:
                ALTER TABLE "public"."orders_2023" ALTER COLUMN "customer_id" SET NOT NULL;
                ALTER TABLE "Arch"."Multi Child" ALTER COLUMN "id" SET NOT NULL;""");
    }
}
