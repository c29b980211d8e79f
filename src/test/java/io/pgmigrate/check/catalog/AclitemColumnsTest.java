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

class AclitemColumnsTest {
    private final AclitemColumns check = new AclitemColumns();

    /** A row of the type usage probe. */
    static Facts column(Facts f, String id, String db, String schema, String relation, String relkind, String column,
                        String type, String inherited, String indexTable) {
        return indexTable == null
                ? f.probe(id, db, "schema_name", schema, "relation_name", relation, "relkind", relkind,
                "column_name", column, "type_name", type, "inherited_count", inherited)
                : f.probe(id, db, "schema_name", schema, "relation_name", relation, "relkind", relkind,
                "column_name", column, "type_name", type, "inherited_count", inherited, "index_table", indexTable);
    }

    @Test
    void appliesFromAtMost15ToAtLeast16() {
        assertThat(check.appliesTo(path(15, 18))).isTrue();
        assertThat(check.appliesTo(path(12, 16))).isTrue();
        assertThat(check.appliesTo(path(906, 16))).isTrue();
        assertThat(check.appliesTo(path(16, 18))).isFalse();
        assertThat(check.appliesTo(path(17, 18))).isFalse();
        assertThat(check.appliesTo(path(14, 15))).isFalse();
    }

    @Test
    void probeSearchesEveryDatabaseForAclitem() {
        List<Probe> probes = check.probes(path(15, 18));
        assertThat(probes).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("aclitem-columns");
            assertThat(p.scope()).isEqualTo(Probe.Scope.EACH_DATABASE);
            assertThat(p.sql()).contains("t.typname IN ('aclitem')", "n.nspname = 'pg_catalog'",
                    "c.relkind IN ('r', 'p', 'm', 'i')", "NOT IN ('pg_catalog', 'information_schema')",
                    "rngmultitypid");
        });
    }

    @Test
    void quietWithoutRows() {
        assertThat(check.evaluate(input(Facts.healthy()))).isEmpty();
    }

    @Test
    void namesEachColumnAndGivesTheSql() {
        Facts f = Facts.healthy();
        column(f, "aclitem-columns", "shop", "public", "acl_audit", "r", "perms", "aclitem", "0", null);
        column(f, "aclitem-columns", "shop", "public", "acl_audit", "r", "history", "aclitem[]", "0", null);
        column(f, "aclitem-columns", "shop", "public", "acl_audit_idx", "i", "perms", "aclitem", "0", "acl_audit");
        column(f, "aclitem-columns", "My DB", "Audit", "Perm \"Log\"", "r", "Who", "acl_dom", "0", null);
        column(f, "aclitem-columns", "My DB", "Audit", "perm_mv", "m", "perms", "aclitem", "0", null);
        column(f, "aclitem-columns", "My DB", "Audit", "lonely_idx", "i", "expr", "aclitem", "0", "other");

        List<Finding> findings = check.evaluate(input(f));

        assertThat(findings).singleElement().satisfies(x -> {
            assertThat(x.check()).isEqualTo("aclitem-columns");
            assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(x.title()).isEqualTo("User columns of type aclitem");
            assertThat(x.detail()).isEqualTo("The internal format of aclitem changed in PostgreSQL 16, so stored"
                    + " aclitem values (also inside arrays, domains and composite types) cannot be carried over by"
                    + " pg_upgrade. pg_upgrade refuses such clusters (found 6 columns).");
            assertThat(x.objects()).containsExactly(
                    "db shop: public.acl_audit.perms (aclitem)",
                    "db shop: public.acl_audit.history (aclitem[])",
                    "db shop: index public.acl_audit_idx.perms (aclitem)",
                    "db \"My DB\": \"Audit\".\"Perm \"\"Log\"\"\".\"Who\" (acl_dom)",
                    "db \"My DB\": materialized view \"Audit\".perm_mv.perms (aclitem)",
                    "db \"My DB\": index \"Audit\".lonely_idx.expr (aclitem)");
            assertThat(x.fix()).isEqualTo("""
                    Change the listed columns to text before the upgrade (inherited columns follow their parent; \
                    indexes on them are rebuilt; views using a column must be dropped first and recreated), or drop them:
                    -- in database shop:
                    ALTER TABLE "public"."acl_audit" ALTER COLUMN "perms" TYPE text USING "perms"::text;
                    ALTER TABLE "public"."acl_audit" ALTER COLUMN "history" TYPE text USING "history"::text;
                    -- in database "My DB":
                    DROP MATERIALIZED VIEW "Audit"."perm_mv";  -- recreate it after the upgrade
                    ALTER TABLE "Audit"."Perm ""Log""\" ALTER COLUMN "Who" TYPE text USING "Who"::text;
                    DROP INDEX "Audit"."lonely_idx";  -- recreate it after the upgrade""");
        });
    }

    @Test
    void inheritedColumnsAreFixedThroughTheirParent() {
        Facts f = Facts.healthy();
        column(f, "aclitem-columns", "shop", "public", "events", "p", "acl", "aclitem", "0", null);
        column(f, "aclitem-columns", "shop", "public", "events_2024", "r", "acl", "aclitem", "1", null);
        Finding x = check.evaluate(input(f)).get(0);
        assertThat(x.objects()).containsExactly("db shop: public.events.acl (aclitem)",
                "db shop: public.events_2024.acl (aclitem)");
        assertThat(x.fix()).endsWith("""
                -- in database shop:
                ALTER TABLE "public"."events" ALTER COLUMN "acl" TYPE text USING "acl"::text;""");
    }
}
