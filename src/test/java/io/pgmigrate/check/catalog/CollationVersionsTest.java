package io.pgmigrate.check.catalog;

import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

class CollationVersionsTest {
    private final CollationVersions check = new CollationVersions();

    private static void index(Facts f, String db, String schema, String collation, String provider, String recorded,
                              String actual, int count, String index, String table) {
        f.probe(CollationVersions.ID, db, "schema_name", schema, "collation_name", collation, "provider", provider,
                "recorded", recorded, "actual", actual, "index_count", Integer.toString(count), "index_oid", "16400",
                "index_schema", "public", "index_name", index, "table_schema", "public", "table_name", table,
                "index_method", "btree", "index_valid", "true");
    }

    @Test
    void probesByVersion() {
        assertThat(check.appliesTo(path(12, 18))).as("libc versions are recorded from 13 on").isFalse();
        assertThat(check.probes(path(13, 18))).extracting(Probe::id).containsExactly("collation-versions");
        assertThat(check.probes(path(13, 18)).get(0).sql()).as("no datcollversion before 15")
                .doesNotContain("datcollversion").contains("WHERE n <= 20");
        List<Probe> p15 = check.probes(path(15, 18));
        assertThat(p15).extracting(Probe::id).containsExactly("collation-versions.databases", "collation-versions");
        assertThat(p15.get(0).scope()).isEqualTo(Probe.Scope.CLUSTER);
        assertThat(p15.get(0).sql()).contains("d.daticulocale");
        assertThat(p15.get(1).sql()).contains("d.datcollversion");
        assertThat(check.probes(path(17, 18)).get(0).sql()).contains("d.datlocale");
    }

    @Test
    void quietWhenEveryVersionMatches() {
        assertThat(check.evaluate(input(Facts.healthy()))).isEmpty();
    }

    @Test
    void namesTheDatabaseTheCollationTheirIndexesAndTheFix() {
        Facts f = Facts.healthy();
        f.probe(CollationVersions.DATABASES_PROBE, "postgres", "database_name", "Shop", "provider", "c",
                "locale", "en_US.UTF-8", "recorded", "2.31", "actual", "2.36");
        f.probe(CollationVersions.DATABASES_PROBE, "postgres", "database_name", "template1", "provider", "c",
                "locale", "en_US.UTF-8", "recorded", "2.31", "actual", "2.36");
        index(f, "Shop", null, "default", "c", "2.31", "2.36", 1, "orders_ref", "orders");
        index(f, "Shop", "public", "de", "i", "0.1", "153.120", 2, "people_name", "People");
        index(f, "Shop", "public", "de", "i", "0.1", "153.120", 2, "people_name_uq", "People");

        List<Finding> findings = check.evaluate(input(f));

        assertThat(findings).hasSize(1);
        Finding w = findings.get(0);
        assertThat(w.severity()).isEqualTo(Severity.WARNING);
        assertThat(w.objects()).containsExactly(
                "database \"Shop\": default collation (libc en_US.UTF-8) recorded version 2.31, the host provides"
                        + " 2.36; 1 dependent index: public.orders_ref on public.orders",
                "database template1: default collation (libc en_US.UTF-8) recorded version 2.31, the host provides"
                        + " 2.36; no index depends on it",
                "db \"Shop\": collation public.de (ICU) recorded version 0.1, the host provides 153.120;"
                        + " 2 dependent indexes: public.people_name on public.\"People\", public.people_name_uq on"
                        + " public.\"People\"");
        assertThat(w.fix()).endsWith("""
                -- in database "Shop":
                REINDEX INDEX "public"."orders_ref";
                REINDEX INDEX "public"."people_name";
                REINDEX INDEX "public"."people_name_uq";
                ALTER COLLATION "public"."de" REFRESH VERSION;
                ALTER DATABASE "Shop" REFRESH COLLATION VERSION;
                ALTER DATABASE "template1" REFRESH COLLATION VERSION;""");
    }

    @Test
    void pastTheListedIndexesSaysHowManyMoreAndReindexesTheDatabase() {
        Facts f = Facts.healthy();
        for (int i = 0; i < CollationVersions.LISTED; i++) {
            index(f, "shop", "pg_catalog", "fr-x-icu", "i", "153.14", "153.120", 57, "idx_" + (100 + i), "t");
        }

        Finding w = check.evaluate(input(f, 13, 18)).get(0);

        assertThat(w.objects()).singleElement().asString()
                .startsWith("db shop: collation pg_catalog.\"fr-x-icu\" (ICU) recorded version 153.14, the host"
                        + " provides 153.120; 57 dependent indexes: public.idx_100 on public.t, ")
                .endsWith("public.idx_119 on public.t and 37 more");
        assertThat(w.fix()).doesNotContain("REINDEX INDEX \"").endsWith("""
                -- in database shop:
                REINDEX DATABASE "shop";
                ALTER COLLATION "pg_catalog"."fr-x-icu" REFRESH VERSION;""");
    }
}
