package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Lz4CompressedColumnsIT extends SourceClusterSupport {
    private final Lz4CompressedColumns check = new Lz4CompressedColumns();

    private static Facts targetWithoutLz4() {
        Facts f = Facts.healthy();
        f.configureOptions.remove("--with-lz4");
        return f;
    }

    @Test
    void findsLz4ColumnsAndSettings() {
        String db = database("Doc Store");
        pg.sql(db,
                "CREATE SCHEMA \"Big Docs\"",
                "CREATE TABLE \"Big Docs\".\"Pages\" (id int, \"Body\" text COMPRESSION lz4, title text)",
                "INSERT INTO \"Big Docs\".\"Pages\" SELECT 1, repeat('lz4 ', 10000), 't'",
                "CREATE TABLE \"Big Docs\".plain (body text COMPRESSION pglz)");
        pg.sql("postgres", "ALTER DATABASE \"Doc Store\" SET default_toast_compression = lz4");

        assertThat(run(check)).as("the default target is built with lz4").isEmpty();

        List<Finding> findings = run(check, targetWithoutLz4(), CheckInputs.path(15, 18));

        assertThat(objectsOf(findings)).containsExactly(
                "db \"Doc Store\": \"Big Docs\".\"Pages\".\"Body\" (COMPRESSION lz4)",
                "setting default_toast_compression = lz4 for database \"Doc Store\"");

        applyFix(findings.get(0));
        assertThat(run(check, targetWithoutLz4(), CheckInputs.path(15, 18))).isEmpty();
    }
}
