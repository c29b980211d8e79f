package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.SourceFacts.SlotFacts;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static org.assertj.core.api.Assertions.assertThat;

class LoadableLibrariesTest {
    private final LoadableLibraries check = new LoadableLibraries();

    private static void fn(Facts f, String db, String schema, String name, String args, String lib, String ext) {
        f.probe("loadable-libraries", db, "schema_name", schema, "function_name", name, "arguments", args,
                "library", lib, "extension", ext);
    }

    @Test
    void libraryFileNames() {
        assertThat(LoadableLibraries.fileName("$libdir/postgis-3")).isEqualTo("postgis-3.so");
        assertThat(LoadableLibraries.fileName("$libdir/foo.so")).isEqualTo("foo.so");
        assertThat(LoadableLibraries.fileName("pgoutput")).isEqualTo("pgoutput.so");
        assertThat(LoadableLibraries.fileName("/opt/x/lib/bar.so")).isEqualTo("bar.so");
    }

    @Test
    void probeListsUserCFunctions() {
        String sql = check.probes(CheckInputs.path(15, 18)).get(0).sql();
        assertThat(sql).contains("l.lanname = 'c'", "p.oid >= 16384", "p.probin IS NOT NULL");
    }

    @Test
    void quietWhenTheTargetHasEveryLibrary() {
        Facts f = Facts.healthy();
        fn(f, "shop", "public", "pg_stat_statements", "showtext boolean", "$libdir/pg_stat_statements",
                "pg_stat_statements");
        assertThat(check.evaluate(input(f))).isEmpty();
    }

    @Test
    void namesEveryFunctionOfAMissingLibrary() {
        Facts f = Facts.healthy();
        fn(f, "shop", "public", "st_x", "geometry", "$libdir/postgis-3", "postgis");
        fn(f, "shop", "public", "st_y", "geometry", "$libdir/postgis-3", "postgis");
        fn(f, "Geo DB", "Maps", "Area Of", "integer, text", "$libdir/postgis-3", null);
        fn(f, "shop", "public", "f", "integer", "$libdir/foo", null);
        List<Finding> findings = check.evaluate(input(f));
        assertThat(findings).hasSize(2);
        Finding postgis = findings.get(0);
        assertThat(postgis.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(postgis.title()).isEqualTo("Library $libdir/postgis-3 is missing for PostgreSQL 18");
        assertThat(postgis.detail()).startsWith("postgis-3.so is not in the target's pkglibdir.");
        assertThat(postgis.objects()).containsExactly(
                "db shop: function public.st_x(geometry) uses $libdir/postgis-3 (extension postgis)",
                "db shop: function public.st_y(geometry) uses $libdir/postgis-3 (extension postgis)",
                "db \"Geo DB\": function \"Maps\".\"Area Of\"(integer, text) uses $libdir/postgis-3");
        assertThat(postgis.fix()).isEqualTo("""
                Install the build of postgis-3.so for PostgreSQL 18 on the target host (the extension's package \
                for PostgreSQL 18). Only if these are unused, drop them on the source instead:
                -- in database shop:
                DROP EXTENSION "postgis";
                -- in database "Geo DB":
                DROP ROUTINE "Maps"."Area Of"(integer, text);""");
        assertThat(findings.get(1).objects()).containsExactly("db shop: function public.f(integer) uses $libdir/foo");
    }

    @Test
    void absolutePaths() {
        Facts f = Facts.healthy();
        f.targetLibraries.add("bar.so");
        fn(f, "shop", "public", "old", "", "/usr/lib/postgresql/15/lib/bar.so", null);
        fn(f, "shop", "public", "custom", "", "/opt/bar/bar.so", null);
        fn(f, "shop", "public", "gone", "", "/opt/baz/baz.so", null);
        List<Finding> findings = check.evaluate(input(f));
        assertThat(findings).extracting(Finding::severity)
                .containsExactly(Severity.BLOCKER, Severity.BLOCKER, Severity.WARNING);
        assertThat(findings.get(0).detail()).startsWith("It is named by an absolute path into the source installation");
        assertThat(findings.get(0).objects())
                .containsExactly("db shop: function public.old() uses /usr/lib/postgresql/15/lib/bar.so");
        assertThat(findings.get(1).objects()).containsExactly("db shop: function public.gone() uses /opt/baz/baz.so");
        assertThat(findings.get(2).title()).isEqualTo("Functions load /opt/bar/bar.so by absolute path");
        assertThat(findings.get(2).fix()).startsWith("Prefer $libdir: CREATE OR REPLACE FUNCTION … AS '$libdir/bar'");
    }

    @Test
    void outputPluginsOfLogicalSlotsFrom17() {
        Facts f = Facts.healthy();
        f.slots.add(new SlotFacts("cdc", "logical", "wal2json", "shop", false, "reserved", 0, 0));
        f.slots.add(new SlotFacts("sub", "logical", "pgoutput", "shop", true, "reserved", 0, 0));
        f.slots.add(new SlotFacts("standby1", "physical", null, null, true, "reserved", 0, 0));
        assertThat(check.evaluate(input(f, 15, 18))).as("slots are not carried before 17").isEmpty();
        f.targetLibraries.add("pgoutput.so");
        Finding x = check.evaluate(input(f, 17, 18)).get(0);
        assertThat(x.title()).isEqualTo("Library wal2json is missing for PostgreSQL 18");
        assertThat(x.objects()).containsExactly("logical replication slot cdc (db shop) uses output plugin wal2json");
        assertThat(x.fix()).endsWith("\nSELECT pg_catalog.pg_drop_replication_slot('cdc');");
    }
}
