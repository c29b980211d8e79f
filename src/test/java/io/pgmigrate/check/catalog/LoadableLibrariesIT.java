package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LoadableLibrariesIT extends SourceClusterSupport {
    private final LoadableLibraries check = new LoadableLibraries();

    @Test
    void namesTheFunctionsOfLibrariesTheTargetLacks() {
        String db = database("Stats Lab");
        String ext = database("with extension");
        pg.sql(db,
                "CREATE SCHEMA \"Rand Gen\"",
                // a C function on a library PostgreSQL 15 has (contrib's tablefunc), not from an extension
                "CREATE FUNCTION \"Rand Gen\".\"Normal Rand\"(integer, double precision, double precision)"
                        + " RETURNS SETOF double precision AS '$libdir/tablefunc', 'normal_rand' LANGUAGE C STRICT");
        pg.sql(ext, "CREATE EXTENSION isn");
        int isnFunctions = Integer.parseInt(query(ext, "SELECT count(*) AS n FROM pg_proc WHERE probin = '$libdir/isn'")
                .get(0).get("n"));

        Facts target = Facts.healthy();  // its pkglibdir: plpgsql.so, pg_stat_statements.so, pgcrypto.so
        List<Finding> findings = run(check, target, CheckInputs.path(15, 18));

        // databases in name order, as inspection visits them
        assertThat(findings).extracting(Finding::title).containsExactly(
                "Library $libdir/tablefunc is missing for PostgreSQL 18",
                "Library $libdir/isn is missing for PostgreSQL 18");
        assertThat(findings.get(1).objects()).hasSize(isnFunctions)
                .allMatch(o -> o.startsWith("db \"with extension\": function public.")
                        && o.endsWith(" uses $libdir/isn (extension isn)"))
                .contains("db \"with extension\": function public.isbn_in(cstring) uses $libdir/isn (extension isn)");
        assertThat(findings.get(0).objects()).containsExactly("db \"Stats Lab\": function \"Rand Gen\".\"Normal Rand\""
                + "(integer, double precision, double precision) uses $libdir/tablefunc");

        // the target gets tablefunc: only isn is left
        Facts withTablefunc = Facts.healthy();
        withTablefunc.targetLibraries.add("tablefunc.so");
        assertThat(run(check, withTablefunc, CheckInputs.path(15, 18))).extracting(Finding::title)
                .containsExactly("Library $libdir/isn is missing for PostgreSQL 18");

        // or the functions go (the fix's alternative, run for real)
        findings.forEach(SourceClusterSupport::applyFix);
        assertThat(run(check, Facts.healthy(), CheckInputs.path(15, 18))).isEmpty();
    }
}
