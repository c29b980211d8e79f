package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.PgCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** On a PostgreSQL 13 source, which records no version for a database's default collation: per collation only. */
class CollationVersionsPg13IT extends SourceClusterSupport {
    @BeforeAll
    static void startSource() {
        pg = PgCluster.start(13);
    }

    @Test
    void namesTheIndexesOfAStaleIcuCollation() {
        String db = database("shop");
        pg.sql(db, "CREATE COLLATION phone (provider = icu, locale = 'de-u-co-phonebk')",
                "CREATE TABLE people (name text COLLATE phone, city text)",
                "CREATE INDEX people_name ON people (name)",
                "CREATE INDEX people_city ON people (city)",
                "UPDATE pg_catalog.pg_collation SET collversion = '0.1' WHERE collname = 'phone'");
        String actual = query(db, "SELECT pg_catalog.pg_collation_actual_version(oid) AS v FROM pg_catalog.pg_collation"
                + " WHERE collname = 'phone'").get(0).get("v");

        List<Finding> findings = run(new CollationVersions(), Facts.healthy(), CheckInputs.path(13, 18));

        assertThat(objectsOf(findings)).containsExactly("db shop: collation public.phone (ICU) recorded version 0.1,"
                + " the host provides " + actual + "; 1 dependent index: public.people_name on public.people");
        applyFix(findings.get(0));
        assertThat(run(new CollationVersions(), Facts.healthy(), CheckInputs.path(13, 18))).isEmpty();
    }
}
