package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlRow;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Object names as a DBA writes them, and how a catalog row becomes an object. */
class SchemaNamesTest {
    @Test
    void identifiersAreQuotedOnlyWhenNeeded() {
        assertThat(SchemaNames.ident("orders")).isEqualTo("orders");
        assertThat(SchemaNames.ident("order_items2$")).isEqualTo("order_items2$");
        assertThat(SchemaNames.ident("Orders")).isEqualTo("\"Orders\"");
        assertThat(SchemaNames.ident("order items")).isEqualTo("\"order items\"");
        assertThat(SchemaNames.ident("Order \"Items\"")).isEqualTo("\"Order \"\"Items\"\"\"");
        assertThat(SchemaNames.ident("größe")).isEqualTo("\"größe\"");
        assertThat(SchemaNames.ident("select")).isEqualTo("\"select\"");
        assertThat(SchemaNames.ident("system_user")).isEqualTo("\"system_user\"");
        assertThat(SchemaNames.ident("1st")).isEqualTo("\"1st\"");
        assertThat(SchemaNames.qualified("Sales Dept", "q1")).isEqualTo("\"Sales Dept\".q1");
    }

    static SqlRow row(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return new SqlRow(values);
    }

    @Test
    void aCatalogRowBecomesANamedObjectWithItsAttributes() {
        SchemaObject column = SchemaCapture.toObject(SchemaKind.COLUMN, row("_schema", "public", "_table", "Orders",
                "_name", "select", "type", "integer", "default", null));
        assertThat(column.name()).isEqualTo("public.\"Orders\".\"select\"");
        assertThat(column.attributes()).containsExactly(Map.entry("type", "integer"));

        assertThat(SchemaCapture.toObject(SchemaKind.CONSTRAINT, row("_schema", "public", "_table", "orders",
                "_name", "orders_pkey", "_on", null)).name()).isEqualTo("orders_pkey on public.orders");
        assertThat(SchemaCapture.toObject(SchemaKind.CONSTRAINT, row("_schema", "public", "_table", "amount",
                "_name", "positive", "_on", "domain")).name()).isEqualTo("positive on domain public.amount");
        assertThat(SchemaCapture.toObject(SchemaKind.FUNCTION, row("_schema", "public", "_name", "ship",
                "_args", "integer, boolean", "_kind", "PROCEDURE")))
                .extracting(SchemaObject::kind, SchemaObject::name)
                .containsExactly(SchemaKind.PROCEDURE, "public.ship(integer, boolean)");
        assertThat(SchemaCapture.toObject(SchemaKind.DEFAULT_PRIVILEGES, row("_role", "app", "_schema", "Sales Dept",
                "_objtype", "tables")).name()).isEqualTo("for role app in schema \"Sales Dept\" on tables");
        assertThat(SchemaCapture.toObject(SchemaKind.DEFAULT_PRIVILEGES, row("_role", "app", "_schema", null,
                "_objtype", "functions")).name()).isEqualTo("for role app on functions");
        assertThat(SchemaCapture.toObject(SchemaKind.VIEW, row("_schema", "public", "_name", "totals",
                "_kind", "MATERIALIZED_VIEW")).label()).isEqualTo("materialized view public.totals");
    }
}
