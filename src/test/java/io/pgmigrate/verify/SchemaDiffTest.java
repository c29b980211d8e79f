package io.pgmigrate.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.pgmigrate.verify.SchemaDifference.Change.ADDED;
import static io.pgmigrate.verify.SchemaDifference.Change.CHANGED;
import static io.pgmigrate.verify.SchemaDifference.Change.MISSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** SchemaDiff on hand-built inventories: what differs is named, and only version changes are expected. */
class SchemaDiffTest {
    static final int PG15 = 150018;
    static final int PG18 = 180006;

    static SchemaObject object(SchemaKind kind, String name, String... keyValues) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            attributes.put(keyValues[i], keyValues[i + 1]);
        }
        return new SchemaObject(kind, name, attributes);
    }

    static SchemaInventory inventory(int version, SchemaObject... objects) {
        return new SchemaInventory("shop", version, List.of(objects));
    }

    static final SchemaObject ORDERS = object(SchemaKind.TABLE, "public.orders", "owner", "app",
            "acl", "app=arwdDxt/app, reader=r/app");
    static final SchemaObject ORDERS_ID = object(SchemaKind.COLUMN, "public.orders.id", "type", "bigint",
            "not null", "true", "position", "1");
    static final SchemaObject ORDERS_AT = object(SchemaKind.INDEX, "public.orders_at_idx",
            "definition", "CREATE INDEX orders_at_idx ON public.orders USING btree (at)", "valid", "true");

    @Test
    void theSameSchemaHasNoDifferences() {
        SchemaComparison c = SchemaDiff.compare(inventory(PG15, ORDERS, ORDERS_ID, ORDERS_AT),
                inventory(PG15, ORDERS_AT, ORDERS_ID, ORDERS));
        assertThat(c.differences()).isEmpty();
        assertThat(c.passed()).isTrue();
        assertThat(c.objectsBefore()).isEqualTo(3);
        assertThat(c.objectsAfter()).isEqualTo(3);
    }

    @Test
    void aMissingObjectIsNamedWithWhatItWas() {
        SchemaComparison c = SchemaDiff.compare(inventory(PG15, ORDERS, ORDERS_AT), inventory(PG15, ORDERS));
        assertThat(c.passed()).isFalse();
        assertThat(c.differences()).singleElement().satisfies(d -> {
            assertThat(d).extracting(SchemaDifference::database, SchemaDifference::kind, SchemaDifference::name,
                    SchemaDifference::change, SchemaDifference::what, SchemaDifference::expected)
                    .containsExactly("shop", SchemaKind.INDEX, "public.orders_at_idx", MISSING, null, false);
            assertThat(d.describe()).isEqualTo("index public.orders_at_idx: missing after"
                    + " (was: CREATE INDEX orders_at_idx ON public.orders USING btree (at))");
        });
    }

    @Test
    void aNewObjectIsNamed() {
        SchemaObject extra = object(SchemaKind.FUNCTION, "public.f(integer)", "result", "integer");
        SchemaComparison c = SchemaDiff.compare(inventory(PG15, ORDERS), inventory(PG15, ORDERS, extra));
        assertThat(c.unexpected()).extracting(SchemaDifference::kind, SchemaDifference::name,
                SchemaDifference::change).containsExactly(tuple(SchemaKind.FUNCTION, "public.f(integer)", ADDED));
        assertThat(c.unexpected().get(0).describe()).isEqualTo("function public.f(integer): new after");
    }

    @Test
    void eachChangedAttributeIsOneDifferenceWithBothValues() {
        SchemaObject changed = object(SchemaKind.COLUMN, "public.orders.id", "type", "integer",
                "not null", "false", "position", "1", "comment", "new comment");
        SchemaComparison c = SchemaDiff.compare(inventory(PG15, ORDERS_ID), inventory(PG15, changed));
        assertThat(c.differences())
                .extracting(SchemaDifference::what, SchemaDifference::before, SchemaDifference::after)
                .containsExactly(tuple("comment", null, "new comment"), tuple("not null", "true", "false"),
                        tuple("type", "bigint", "integer"));
        assertThat(c.differences().get(2).describe())
                .isEqualTo("column public.orders.id: type changed from 'bigint' to 'integer'");
        assertThat(c.differences().get(0).describe())
                .isEqualTo("column public.orders.id: comment changed from (none) to 'new comment'");
    }

    @Test
    void differencesComeInKindThenNameOrder() {
        SchemaObject view = object(SchemaKind.VIEW, "public.a_view", "definition", "SELECT 1");
        SchemaObject schema = object(SchemaKind.SCHEMA, "sales", "owner", "app");
        SchemaComparison c = SchemaDiff.compare(inventory(PG15, view, ORDERS_AT, schema), inventory(PG15));
        assertThat(c.differences()).extracting(SchemaDifference::kind)
                .containsExactly(SchemaKind.SCHEMA, SchemaKind.INDEX, SchemaKind.VIEW);
    }

    @Test
    void anExtensionVersionIsExpectedToChangeWithTheServerVersionOnly() {
        SchemaObject v16 = object(SchemaKind.EXTENSION, "citext", "version", "1.6", "schema", "public");
        SchemaObject v18 = object(SchemaKind.EXTENSION, "citext", "version", "1.8", "schema", "public");
        SchemaDifference across = SchemaDiff.compare(inventory(PG15, v16), inventory(PG18, v18)).differences().get(0);
        assertThat(across.expected()).isTrue();
        assertThat(across.explanation()).contains("ALTER EXTENSION", "update_extensions.sql");
        assertThat(across.describe()).startsWith("extension citext: version changed from '1.6' to '1.8' — expected: ");
        assertThat(SchemaDiff.compare(inventory(PG18, v16), inventory(PG18, v18)).passed()).isFalse();
        SchemaObject moved = object(SchemaKind.EXTENSION, "citext", "version", "1.6", "schema", "ext");
        assertThat(SchemaDiff.compare(inventory(PG15, v16), inventory(PG18, moved)).passed()).isFalse();
    }

    @Test
    void maintainAddedFor17IsExpectedAndNothingElse() {
        String old = "app=arwdDxt/app, reader=r/app, writer=arwdDxt/app";
        assertThat(aclChange(old, "app=arwdDxtm/app, reader=r/app, writer=arwdDxt/app", PG18).expected())
                .as("pg_upgrade: the owner's defaults gain m, an old GRANT ALL does not").isTrue();
        assertThat(aclChange(old, "app=arwdDxtm/app, reader=r/app, writer=arwdDxtm/app", PG18).expected())
                .as("the same GRANT ALL made on 18").isTrue();
        assertThat(aclChange("app=arwdDxt/app, boss=a*r*w*d*D*x*t*/app", "app=arwdDxtm/app, boss=a*r*w*d*D*x*t*m*/app",
                PG18).expected()).as("with grant option").isTrue();
        assertThat(aclChange(old, "app=arwdDxtm/app, writer=arwdDxt/app", PG18).expected())
                .as("a revoked grant besides").isFalse();
        assertThat(aclChange("app=arwdDxt/app, reader=r/app", "app=arwdDxtm/app, reader=rm/app", PG18).expected())
                .as("m for a role that did not have everything").isFalse();
        assertThat(aclChange(old, "app=arwdDxtm/app, reader=r/app, writer=arwdDxt/app", PG15).expected())
                .as("between two 15 servers").isFalse();
        SchemaObject seqBefore = object(SchemaKind.SEQUENCE, "public.s", "acl", "app=rwU/app");
        SchemaObject seqAfter = object(SchemaKind.SEQUENCE, "public.s", "acl", "app=rwUm/app");
        assertThat(SchemaDiff.compare(inventory(PG15, seqBefore), inventory(PG18, seqAfter)).passed())
                .as("not a table").isFalse();
        SchemaObject defaultsBefore = object(SchemaKind.DEFAULT_PRIVILEGES, "for role app on tables",
                "acl", "app=arwdDxt/app, writer=arwdDxt/app");
        SchemaObject defaultsAfter = object(SchemaKind.DEFAULT_PRIVILEGES, "for role app on tables",
                "acl", "app=arwdDxtm/app, writer=arwdDxt/app");
        assertThat(SchemaDiff.compare(inventory(PG15, defaultsBefore), inventory(PG18, defaultsAfter)).passed())
                .as("default privileges for tables").isTrue();
    }

    private static SchemaDifference aclChange(String before, String after, int afterVersion) {
        SchemaObject b = object(SchemaKind.TABLE, "public.orders", "acl", before);
        SchemaObject a = object(SchemaKind.TABLE, "public.orders", "acl", after);
        return SchemaDiff.compare(inventory(PG15, b), inventory(afterVersion, a)).differences().get(0);
    }

    static final String VIEW_15 = " SELECT customers.id,\n    customers.email\n   FROM public.customers\n"
            + "  WHERE (customers.id > 100);";
    static final String VIEW_18 = " SELECT id,\n    email\n   FROM public.customers\n  WHERE (id > 100);";

    @Test
    void aViewDeparsedWithoutQualifiersBy16IsExpectedAcrossThatVersionOnly() {
        SchemaDifference d = viewChange(VIEW_15, VIEW_18, PG18);
        assertThat(d.expected()).isTrue();
        assertThat(d.explanation()).startsWith("the server deparses differently");
        assertThat(viewChange(VIEW_15, VIEW_18, PG15).expected()).as("two 15 servers").isFalse();
        assertThat(viewChange(VIEW_15, VIEW_18.replace("100", "200"), PG18).expected())
                .as("a changed condition").isFalse();
        assertThat(viewChange(VIEW_15, VIEW_18.replace("(id > 100)", "(id >= 100)"), PG18).expected()).isFalse();
    }

    static final int PG13 = 130023;
    static final String XML_15 = " SELECT entries.id,\n    XMLSERIALIZE(CONTENT entries.doc AS text) AS doc_text\n"
            + "   FROM ledger.entries;";
    static final String XML_18 = " SELECT id,\n    XMLSERIALIZE(CONTENT doc AS text NO INDENT) AS doc_text\n"
            + "   FROM ledger.entries;";

    @Test
    void xmlserializeNoIndentFrom16IsExpectedAndEachWayIsNamedOnlyWhenNeeded() {
        SchemaDifference view = viewChange(XML_15, XML_18, PG18);
        assertThat(view.expected()).isTrue();
        assertThat(view.explanation()).startsWith("PostgreSQL 16 prints XMLSERIALIZE's default NO INDENT")
                .contains("; and the server deparses differently").doesNotContain("key word");
        assertThat(viewChange(VIEW_15, VIEW_18, PG18).explanation()).doesNotContain("XMLSERIALIZE");
        assertThat(viewChange(XML_15, XML_18.replace("AS text", "AS varchar"), PG18).expected())
                .as("another result type").isFalse();
        assertThat(viewChange(XML_15, XML_18.replace("NO INDENT", "INDENT"), PG18).expected())
                .as("INDENT is not the default").isFalse();
        SchemaObject b = object(SchemaKind.COLUMN, "public.t.x", "default", "XMLSERIALIZE(CONTENT '<a/>'::xml AS text)");
        SchemaObject a = object(SchemaKind.COLUMN, "public.t.x", "default",
                "XMLSERIALIZE(CONTENT '<a/>'::xml AS text NO INDENT)");
        assertThat(SchemaDiff.compare(inventory(PG15, b), inventory(PG18, a)).passed()).as("in a default too").isTrue();
        assertThat(SchemaDiff.compare(inventory(160004, b), inventory(PG18, a)).passed())
                .as("16 prints NO INDENT itself").isFalse();
    }

    @Test
    void textAUserWroteIsNeverExplainedAsDeparse() {
        SchemaObject b = object(SchemaKind.TABLE, "public.t", "comment", "the \"select\" table");
        SchemaObject a = object(SchemaKind.TABLE, "public.t", "comment", "the select table");
        assertThat(SchemaDiff.compare(inventory(PG15, b), inventory(PG18, a)).passed()).isFalse();
        SchemaObject f = object(SchemaKind.FUNCTION, "public.f()", "body", "BEGIN RAISE NOTICE \"x\"; END");
        SchemaObject g = object(SchemaKind.FUNCTION, "public.f()", "body", "BEGIN RAISE NOTICE x; END");
        assertThat(SchemaDiff.compare(inventory(PG15, f), inventory(PG18, g)).passed()).isFalse();
    }

    @Test
    void aRangeGainsItsMultirangeFrom14Only() {
        SchemaObject b = object(SchemaKind.TYPE, "public.span", "range", "subtype numeric, opclass numeric_ops");
        SchemaObject a = object(SchemaKind.TYPE, "public.span", "range",
                "subtype numeric, opclass numeric_ops, multirange public.span_multirange");
        assertThat(SchemaDiff.compare(inventory(PG13, b), inventory(PG18, a)).expected()).singleElement()
                .extracting(SchemaDifference::explanation).asString().contains("multirange");
        assertThat(SchemaDiff.compare(inventory(PG15, b), inventory(PG18, a)).passed()).isFalse();
        SchemaObject other = object(SchemaKind.TYPE, "public.span", "range",
                "subtype numeric, opclass numeric_ops, collation public.x, multirange public.span_multirange");
        assertThat(SchemaDiff.compare(inventory(PG13, b), inventory(PG18, other)).passed()).isFalse();
    }

    @Test
    void aFunctionBodyIsNeverExpectedToChange() {
        SchemaObject b = object(SchemaKind.FUNCTION, "public.f()", "body",
                "BEGIN ATOMIC\n SELECT count(*) AS count FROM public.t WHERE (t.id > 1);\nEND");
        SchemaObject a = object(SchemaKind.FUNCTION, "public.f()", "body",
                "BEGIN ATOMIC\n SELECT count(*) AS count FROM public.t WHERE (id > 1);\nEND");
        assertThat(SchemaDiff.compare(inventory(PG15, b), inventory(PG18, a)).unexpected())
                .as("15 and 18 print SQL-standard bodies alike").extracting(SchemaDifference::what)
                .containsExactly("body");
        SchemaObject plpgsql = object(SchemaKind.FUNCTION, "public.g()", "body", "BEGIN RETURN 1; END");
        SchemaObject changed = object(SchemaKind.FUNCTION, "public.g()", "body", "BEGIN RETURN 2; END");
        assertThat(SchemaDiff.compare(inventory(PG15, plpgsql), inventory(PG18, changed)).unexpected())
                .extracting(SchemaDifference::what).containsExactly("body");
    }

    @Test
    void whatAViewReadsIsComparedExactlyWhereTheTextLosesTheRelation() {
        SchemaObject b = object(SchemaKind.VIEW, "public.v", "definition", " SELECT i.id\n   FROM (public.items i\n"
                + "     JOIN public.customers c ON ((c.id = i.customer_id)));", "reads",
                "public.customers.id, public.items.customer_id, public.items.id");
        SchemaObject a = object(SchemaKind.VIEW, "public.v", "definition", " SELECT c.id\n   FROM (public.items i\n"
                + "     JOIN public.customers c ON ((c.id = i.customer_id)));", "reads",
                "public.customers.id, public.items.customer_id");
        SchemaComparison c = SchemaDiff.compare(inventory(PG15, b), inventory(PG18, a));
        assertThat(c.unexpected()).extracting(SchemaDifference::what).containsExactly("reads");
    }

    @Test
    void anIdentifierQuotedBecauseItBecameAKeyWordIsExpected() {
        SchemaObject b = object(SchemaKind.INDEX, "public.i", "definition",
                "CREATE INDEX i ON public.t USING btree (system_user)");
        SchemaObject a = object(SchemaKind.INDEX, "public.i", "definition",
                "CREATE INDEX i ON public.t USING btree (\"system_user\")");
        SchemaObject renamed = object(SchemaKind.INDEX, "public.i", "definition",
                "CREATE INDEX i ON public.t USING btree (\"System_user\")");
        assertThat(SchemaDiff.compare(inventory(PG15, b), inventory(PG18, a)).differences())
                .singleElement().extracting(SchemaDifference::expected).isEqualTo(true);
        assertThat(SchemaDiff.compare(inventory(PG15, b), inventory(PG18, renamed)).passed()).isFalse();
        assertThat(SchemaDiff.compare(inventory(PG18, b), inventory(PG18, a)).passed()).isFalse();
    }

    @Test
    void aMissingObjectIsNeverExpected() {
        SchemaObject ext = object(SchemaKind.EXTENSION, "citext", "version", "1.6");
        assertThat(SchemaDiff.compare(inventory(PG15, ext), inventory(PG18)).passed()).isFalse();
    }

    private static SchemaDifference viewChange(String before, String after, int afterVersion) {
        SchemaObject b = object(SchemaKind.VIEW, "public.v", "definition", before);
        SchemaObject a = object(SchemaKind.VIEW, "public.v", "definition", after);
        return SchemaDiff.compare(inventory(PG15, b), inventory(afterVersion, a)).differences().get(0);
    }

    @Test
    void inventoriesAndComparisonsAreJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SchemaInventory inventory = inventory(PG15, ORDERS_AT, ORDERS, object(SchemaKind.COLUMN, "public.orders.note",
                "type", "text", "comment", null));
        String text = json.writeValueAsString(inventory);
        assertThat(text).startsWith("{\"database\":\"shop\",\"serverVersionNum\":150018,\"objects\":[{\"kind\":\"TABLE\"")
                .doesNotContain("comment");
        assertThat(json.readValue(text, SchemaInventory.class)).isEqualTo(inventory);
        SchemaComparison comparison = SchemaDiff.compare(inventory, inventory(PG18, ORDERS));
        assertThat(json.readValue(json.writeValueAsString(comparison), SchemaComparison.class)).isEqualTo(comparison);
    }
}
