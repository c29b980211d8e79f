package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SystemCompositeColumnsIT extends SourceClusterSupport {
    private final SystemCompositeColumns check = new SystemCompositeColumns();

    @Test
    void findsColumnsOfCatalogAndInformationSchemaRowTypes() {
        String db = database("Catalog Snapshots");
        pg.sql(db,
                "CREATE SCHEMA \"Snap\"",
                "CREATE TABLE \"Snap\".\"Class Rows\" (taken timestamptz, c pg_catalog.pg_class,"
                        + " tables information_schema.tables[])",
                // a user composite containing a catalog row type, used by another table
                "CREATE TYPE \"Snap\".wrapped AS (label text, proc pg_catalog.pg_proc)",
                "CREATE TABLE \"Snap\".uses_wrapped (w \"Snap\".wrapped)",
                // user row types are fine
                "CREATE TABLE \"Snap\".plain (id int)",
                "CREATE TABLE \"Snap\".of_plain (p \"Snap\".plain)");

        List<Finding> findings = run(check);

        assertThat(objectsOf(findings)).containsExactly(
                "db \"Catalog Snapshots\": \"Snap\".\"Class Rows\".c (pg_class)",
                "db \"Catalog Snapshots\": \"Snap\".\"Class Rows\".tables (information_schema.tables[])",
                "db \"Catalog Snapshots\": \"Snap\".uses_wrapped.w (\"Snap\".wrapped)");

        applyFix(findings.get(0));
        assertThat(run(check)).isEmpty();
    }
}
