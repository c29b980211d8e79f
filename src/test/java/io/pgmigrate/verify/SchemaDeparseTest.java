package io.pgmigrate.verify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The normal forms that tell a version's way of printing SQL from a change of meaning. */
class SchemaDeparseTest {
    @Test
    void unquotedDropsQuotesAPlainNameDoesNotNeed() {
        assertThat(SchemaDeparse.unquoted("btree (\"system_user\", \"Größe\", \"a b\")"))
                .isEqualTo("btree (system_user, \"Größe\", \"a b\")");
        assertThat(SchemaDeparse.unquoted("WHERE note = '\"x\"'")).isEqualTo("WHERE note = '\"x\"'");
    }

    @Test
    void unqualifiedDropsRelationAndSchemaNamesButNotLiteralsOrNumbers() {
        assertThat(SchemaDeparse.unqualified(" SELECT \"Order \"\"Items\"\" 2024\".customer_id,"
                + " sum((\"Order \"\"Items\"\" 2024\".amount)::numeric) FROM public.\"Order \"\"Items\"\" 2024\""))
                .isEqualTo(" SELECT customer_id, sum((amount)::numeric) FROM \"Order \"\"Items\"\" 2024\"");
        assertThat(SchemaDeparse.unqualified("SELECT t.* FROM s.t WHERE t.x = 'a.b' AND t.y > 1.5"))
                .isEqualTo("SELECT * FROM t WHERE x = 'a.b' AND y > 1.5");
        assertThat(SchemaDeparse.unqualified("WHERE (note = 'it''s t.x')")).isEqualTo("WHERE (note = 'it''s t.x')");
    }

    @Test
    void withoutNoIndentDropsOnlyTheDefaultBeforeAParenthesisOutsideLiterals() {
        assertThat(SchemaDeparse.withoutNoIndent("XMLSERIALIZE(CONTENT doc AS text NO INDENT) AS t"))
                .isEqualTo("XMLSERIALIZE(CONTENT doc AS text) AS t");
        assertThat(SchemaDeparse.withoutNoIndent("XMLSERIALIZE(CONTENT doc AS text INDENT)"))
                .isEqualTo("XMLSERIALIZE(CONTENT doc AS text INDENT)");
        assertThat(SchemaDeparse.withoutNoIndent("WHERE note = ' NO INDENT)'")).isEqualTo("WHERE note = ' NO INDENT)'");
    }
}
