package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NotNullInheritanceIT extends SourceClusterSupport {
    private final NotNullInheritance check = new NotNullInheritance();

    @Test
    void findsChildrenThatDroppedTheirParentsNotNull() {
        String db = database("Legacy \"Orders\"");
        String other = database("healthy");
        pg.sql(db,
                "CREATE SCHEMA \"Old Data\"",
                "CREATE TABLE \"Old Data\".\"Orders\" (id int NOT NULL, \"Customer Id\" int NOT NULL, note text)",
                "CREATE TABLE \"Old Data\".\"Orders 2019\" () INHERITS (\"Old Data\".\"Orders\")",
                "CREATE TABLE public.orders_2020 () INHERITS (\"Old Data\".\"Orders\")",
                // PostgreSQL 15 lets a plain inheritance child drop the NOT NULL it inherited
                "ALTER TABLE \"Old Data\".\"Orders 2019\" ALTER COLUMN \"Customer Id\" DROP NOT NULL",
                "ALTER TABLE \"Old Data\".\"Orders 2019\" ALTER COLUMN id DROP NOT NULL",
                "INSERT INTO \"Old Data\".\"Orders 2019\" VALUES (1, 7, 'ok')");
        pg.sql(other,
                "CREATE TABLE parted (id int NOT NULL) PARTITION BY RANGE (id)",
                "CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10)",
                "CREATE TABLE parent (id int NOT NULL)",
                "CREATE TABLE child () INHERITS (parent)");

        List<Finding> findings = run(check);

        assertThat(objectsOf(findings)).containsExactly(
                "db \"Legacy \"\"Orders\"\"\": \"Old Data\".\"Orders 2019\".id (NOT NULL in parent \"Old Data\".\"Orders\")",
                "db \"Legacy \"\"Orders\"\"\": \"Old Data\".\"Orders 2019\".\"Customer Id\""
                        + " (NOT NULL in parent \"Old Data\".\"Orders\")");

        applyFix(findings.get(0));
        assertThat(run(check)).isEmpty();
    }
}
