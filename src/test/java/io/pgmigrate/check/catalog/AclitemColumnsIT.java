package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AclitemColumnsIT extends SourceClusterSupport {
    private final AclitemColumns check = new AclitemColumns();

    @Test
    void findsAclitemDirectlyThroughDomainsArraysCompositesAndInOtherDatabases() {
        String audit = database("Acl \"Audit\" Shop");
        String other = database("other db");
        pg.sql(audit,
                "CREATE SCHEMA \"Sec Ops\"",
                "CREATE DOMAIN \"Sec Ops\".\"Acl Dom\" AS aclitem",
                "CREATE TYPE \"Sec Ops\".grant_pair AS (a aclitem, note text)",
                "CREATE TABLE \"Sec Ops\".\"Perm Log\" (id int, \"Who\" aclitem, history aclitem[],"
                        + " via_domain \"Sec Ops\".\"Acl Dom\", pair \"Sec Ops\".grant_pair, fine text)",
                "CREATE INDEX \"Perm Hash\" ON \"Sec Ops\".\"Perm Log\" USING hash (\"Who\")",
                "CREATE TABLE public.plain (id int, note text)",
                "CREATE VIEW public.acl_view AS SELECT 'postgres=r/postgres'::aclitem AS acl",
                "CREATE MATERIALIZED VIEW public.acl_mv AS SELECT 'postgres=r/postgres'::aclitem AS acl");
        pg.sql(other, "CREATE TABLE public.acl_copy (perms aclitem[])");

        List<Finding> findings = run(check);

        // not the hash index: it stores integer hash codes, not aclitem values; not the view: no storage
        assertThat(objectsOf(findings)).containsExactly(
                "db \"Acl \"\"Audit\"\" Shop\": \"Sec Ops\".\"Perm Log\".\"Who\" (aclitem)",
                "db \"Acl \"\"Audit\"\" Shop\": \"Sec Ops\".\"Perm Log\".history (aclitem[])",
                "db \"Acl \"\"Audit\"\" Shop\": \"Sec Ops\".\"Perm Log\".via_domain (\"Sec Ops\".\"Acl Dom\")",
                "db \"Acl \"\"Audit\"\" Shop\": \"Sec Ops\".\"Perm Log\".pair (\"Sec Ops\".grant_pair)",
                "db \"Acl \"\"Audit\"\" Shop\": materialized view public.acl_mv.acl (aclitem)",
                "db \"other db\": public.acl_copy.perms (aclitem[])");

        // the fix, run for real, clears it (the view only computes aclitem values: not a problem, but it
        // depends on nothing we change)
        applyFix(findings.get(0));
        assertThat(run(check)).isEmpty();
        assertThat(query(audit, "SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute"
                + " WHERE attrelid = '\"Sec Ops\".\"Perm Log\"'::regclass AND attname = 'Who'").get(0).get("t"))
                .isEqualTo("text");
    }

    @Test
    void aPartitionedTableIsFixedThroughItsRoot() {
        String db = database("Parted");
        pg.sql(db,
                "CREATE TABLE events (id int, acl aclitem) PARTITION BY RANGE (id)",
                "CREATE TABLE \"Events 1\" PARTITION OF events FOR VALUES FROM (0) TO (100)");
        List<Finding> findings = run(check);
        assertThat(objectsOf(findings)).containsExactly("db \"Parted\": public.\"Events 1\".acl (aclitem)",
                "db \"Parted\": public.events.acl (aclitem)");
        applyFix(findings.get(0));
        assertThat(run(check)).isEmpty();
    }
}
