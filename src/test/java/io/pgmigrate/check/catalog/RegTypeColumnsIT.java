package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RegTypeColumnsIT extends SourceClusterSupport {
    private final RegTypeColumns check = new RegTypeColumns();

    @Test
    void findsRegTypesThatPointAtUnpreservedOids() {
        String jobs = database("Job Runner");
        String second = database("second");
        pg.sql(jobs,
                "CREATE TYPE \"Proc Range\" AS RANGE (subtype = regproc)",
                "CREATE TABLE \"Scheduled Jobs\" (id int, handler regproc, sigs regprocedure[],"
                        + " window_procs \"Proc Range\", ok_class regclass, ok_role regrole, ok_type regtype)",
                "CREATE INDEX jobs_handler ON \"Scheduled Jobs\" (handler)");
        pg.sql(second, "CREATE SCHEMA \"Text Search\"",
                "CREATE TABLE \"Text Search\".\"Configs\" (cfg regconfig, ns regnamespace, coll regcollation)");

        List<Finding> findings = run(check);

        assertThat(objectsOf(findings)).containsExactly(
                "db \"Job Runner\": public.\"Scheduled Jobs\".handler (regproc)",
                "db \"Job Runner\": public.\"Scheduled Jobs\".sigs (regprocedure[])",
                "db \"Job Runner\": public.\"Scheduled Jobs\".window_procs (\"Proc Range\")",
                "db \"Job Runner\": index public.jobs_handler.handler (regproc)",
                "db second: \"Text Search\".\"Configs\".cfg (regconfig)",
                "db second: \"Text Search\".\"Configs\".ns (regnamespace)",
                "db second: \"Text Search\".\"Configs\".coll (regcollation)");
        // the index goes with its column's type change
        assertThat(findings.get(0).fix()).doesNotContain("DROP INDEX");

        applyFix(findings.get(0));
        assertThat(run(check)).isEmpty();
    }
}
