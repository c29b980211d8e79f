package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real PostgreSQL 15 source: an ICU database and an ICU collation whose recorded versions are set to old
 * values (as after an operating system upgrade changed ICU) make the check name both, the indexes that depend on
 * each (key columns, expressions, a COLLATE in a predicate), and not the index on a "C" column; the fix it prints
 * makes it quiet.
 */
class CollationVersionsIT extends SourceClusterSupport {
    private static List<Finding> findings() {
        return run(new CollationVersions(), Facts.healthy(), CheckInputs.path(pg.major(), 18));
    }

    @Test
    void namesTheStaleDatabaseCollationAndTheIndexesThatDependOnThem() {
        String db = "Shop \"DE\"";
        pg.sql("postgres", "CREATE DATABASE \"Shop \"\"DE\"\"\" LOCALE_PROVIDER icu ICU_LOCALE 'de-DE'"
                + " TEMPLATE template0");
        registerForCleanup(db);
        pg.sql(db,
                "CREATE COLLATION phone (provider = icu, locale = 'de-u-co-phonebk')",
                "CREATE TABLE \"People\" (id int, name text COLLATE phone, city text, code text COLLATE \"C\")",
                "CREATE INDEX people_name ON \"People\" (name)",
                "CREATE UNIQUE INDEX people_city ON \"People\" (city)",
                "CREATE INDEX people_lower_city ON \"People\" (lower(city))",
                "CREATE INDEX people_code ON \"People\" (code)",
                "CREATE INDEX people_id_late ON \"People\" (id) WHERE name > 'm' COLLATE phone",
                "INSERT INTO \"People\" SELECT i, 'n' || i, 'c' || i, 'x' || i FROM generate_series(1, 100) i");
        String actual = query(db, "SELECT pg_catalog.pg_collation_actual_version(oid) AS v FROM pg_catalog.pg_collation"
                + " WHERE collname = 'phone'").get(0).get("v");
        String dbActual = query(db, "SELECT pg_catalog.pg_database_collation_actual_version(oid) AS v"
                + " FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()").get(0).get("v");
        assertThat(findings()).as("versions as recorded").isEmpty();

        pg.sql("postgres", "UPDATE pg_catalog.pg_database SET datcollversion = '1.0' WHERE datname = 'Shop \"DE\"'");
        pg.sql(db, "UPDATE pg_catalog.pg_collation SET collversion = '0.1' WHERE collname = 'phone'");

        List<Finding> findings = findings();
        assertThat(objectsOf(findings)).containsExactly(
                "database \"Shop \"\"DE\"\"\": default collation (ICU de-DE) recorded version 1.0, the host provides "
                        + dbActual + "; 2 dependent indexes: public.people_city on public.\"People\","
                        + " public.people_lower_city on public.\"People\"",
                "db \"Shop \"\"DE\"\"\": collation public.phone (ICU) recorded version 0.1, the host provides "
                        + actual + "; 2 dependent indexes: public.people_id_late on public.\"People\","
                        + " public.people_name on public.\"People\"");
        assertThat(findings.get(0).fix()).contains("REINDEX INDEX \"public\".\"people_city\";")
                .doesNotContain("people_code");

        applyFix(findings.get(0));
        assertThat(findings()).as("reindexed and refreshed").isEmpty();
    }

    @Test
    void aStaleCollationNoIndexUsesIsNotReported() {
        String db = database("quiet");
        pg.sql(db, "CREATE COLLATION unused (provider = icu, locale = 'fr-FR')",
                "CREATE TABLE t (name text COLLATE unused)",
                "UPDATE pg_catalog.pg_collation SET collversion = '0.1' WHERE collname = 'unused'");
        assertThat(findings()).isEmpty();
    }
}
