package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IcuCollationsWithoutIcuIT extends SourceClusterSupport {
    private final IcuCollationsWithoutIcu check = new IcuCollationsWithoutIcu();

    private static Facts targetWithoutIcu() {
        Facts f = Facts.healthy();
        f.configureOptions.remove("--with-icu");
        f.configureOptions.add("--without-icu");
        return f;
    }

    @Test
    void findsIcuDatabasesCollationsAndTheirUsers() {
        String icuDb = "Icu \"DE\"";
        pg.sql("postgres", "CREATE DATABASE \"Icu \"\"DE\"\"\" LOCALE_PROVIDER icu ICU_LOCALE 'de-DE'"
                + " TEMPLATE template0");
        registerForCleanup(icuDb);
        String db = database("Phone Book");
        pg.sql(db,
                "CREATE SCHEMA \"Contacts\"",
                "CREATE COLLATION \"Contacts\".\"German Phonebook\" (provider = icu, locale = 'de-u-co-phonebk')",
                "CREATE TABLE \"Contacts\".\"People\" (id int, \"Last Name\" text COLLATE \"Contacts\".\"German Phonebook\","
                        + " first_name text COLLATE \"und-x-icu\", plain text COLLATE \"C\")",
                "CREATE INDEX people_first ON \"Contacts\".\"People\" (first_name COLLATE \"fr-x-icu\")");

        assertThat(run(check)).as("the default target is built with ICU").isEmpty();

        List<Finding> findings = run(check, targetWithoutIcu(), CheckInputs.path(15, 18));

        assertThat(objectsOf(findings)).containsExactly(
                "database \"Icu \"\"DE\"\"\" (ICU locale de-DE)",
                "db \"Phone Book\": collation \"Contacts\".\"German Phonebook\" (ICU)",
                "db \"Phone Book\": table column \"Contacts\".\"People\".\"Last Name\" uses collation"
                        + " \"Contacts\".\"German Phonebook\"",
                "db \"Phone Book\": index \"Contacts\".people_first uses collation pg_catalog.\"fr-x-icu\"",
                "db \"Phone Book\": table column \"Contacts\".\"People\".first_name uses collation"
                        + " pg_catalog.\"und-x-icu\"");

        pg.sql("postgres", "DROP DATABASE \"Icu \"\"DE\"\"\"");
        pg.sql(db, "DROP TABLE \"Contacts\".\"People\"", "DROP COLLATION \"Contacts\".\"German Phonebook\"");
        assertThat(run(check, targetWithoutIcu(), CheckInputs.path(15, 18))).isEmpty();
    }
}
