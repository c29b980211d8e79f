package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DistinctOperatorsOutsideCatalogIT extends SourceClusterSupport {
    private final DistinctOperatorsOutsideCatalog check = new DistinctOperatorsOutsideCatalog();

    @Test
    void findsExpressionsWhoseOperatorTheRestoreCannotName() {
        String db = database("crm");
        pg.sql(db,
                "CREATE EXTENSION citext",
                "CREATE TABLE \"Contacts\" (id int PRIMARY KEY, email citext, alias citext, plain text)",
                "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
                "CREATE TRIGGER email_changed BEFORE UPDATE ON \"Contacts\" FOR EACH ROW"
                        + " WHEN (OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION touch()",
                "CREATE INDEX alias_set ON \"Contacts\" (id) WHERE NULLIF(alias, email) IS NOT NULL",
                // built-in operators are always found: not reported
                "CREATE TRIGGER plain_changed BEFORE UPDATE ON \"Contacts\" FOR EACH ROW"
                        + " WHEN (OLD.plain IS DISTINCT FROM NEW.plain) EXECUTE FUNCTION touch()",
                "CREATE VIEW same AS SELECT id FROM \"Contacts\" WHERE email IS NOT DISTINCT FROM alias");

        List<Finding> findings = run(check);

        assertThat(findings).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
        assertThat(objectsOf(findings)).containsExactly(
                "db crm: index alias_set: NULLIF uses operator public.=(citext, citext)",
                "db crm: trigger email_changed on \"Contacts\": IS DISTINCT FROM uses operator public.=(citext, citext)",
                "db crm: view same: IS DISTINCT FROM uses operator public.=(citext, citext)");
    }
}
