package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.PgCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks that need a source of 17 or later, on a real PostgreSQL 18 (the newest source the product
 * reads; no 17 binaries here): every catalog probe runs, the Unicode search finds what depends on the
 * builtin provider, subscriptions are carried.
 */
class Pg18SourceIT extends SourceClusterSupport {
    @BeforeAll
    static void startSource() {
        pg = PgCluster.start(18);
    }

    @Test
    void everyCatalogProbeRunsOnA17OrLaterSource() {
        String db = database("Probe \"All\"");
        pg.sql(db, "CREATE TABLE t (id int, acl aclitem)");
        for (UpgradePath path : List.of(CheckInputs.path(17, 18), CheckInputs.path(18, 18))) {
            for (PreCheck check : CatalogChecks.all()) {
                if (check.appliesTo(path)) {
                    Map<String, List<ProbeRow>> rows = probe(check, path);
                    assertThat(rows).as(check.id()).isNotEmpty();
                }
            }
        }
    }

    @Test
    void unicodeUpdateFindsRelationsDependingOnBuiltinUnicodeSemantics() {
        String db = database("Unicode Lab");
        pg.sql(db,
                "CREATE SCHEMA \"Text Ops\"",
                "CREATE COLLATION \"Text Ops\".\"Builtin UTF8\" (provider = builtin, locale = 'C.UTF-8')",
                "CREATE TABLE \"Text Ops\".\"Words\" (w text, CHECK (w ~ '^[a-z]' COLLATE \"Text Ops\".\"Builtin UTF8\"))",
                "CREATE INDEX \"Words Lower\" ON \"Text Ops\".\"Words\" (lower(w COLLATE \"Text Ops\".\"Builtin UTF8\"))",
                "CREATE INDEX words_nfc ON \"Text Ops\".\"Words\" (normalize(w))",
                "CREATE INDEX words_plain ON \"Text Ops\".\"Words\" (lower(w))",
                "CREATE MATERIALIZED VIEW \"Text Ops\".folded AS SELECT upper(w COLLATE \"Text Ops\".\"Builtin UTF8\") AS u"
                        + " FROM \"Text Ops\".\"Words\"");

        assertThat(run(new UnicodeUpdate(), Facts.healthy(), CheckInputs.path(18, 18)))
                .as("18 → 18: same Unicode version").isEmpty();

        // as if the source were a 17 (Unicode 15.1): the relations probe ran on this real catalog
        Facts facts = Facts.healthy();
        facts.probes.putAll(probe(new UnicodeUpdate(), CheckInputs.path(17, 18)));
        facts.probes.put("unicode-update.version", List.of(new ProbeRow("postgres", Map.of("unicode_version", "15.1"))));
        List<Finding> findings = new UnicodeUpdate().evaluate(
                new io.pgmigrate.check.CheckInput(io.pgmigrate.testing.Inventories.sample(), facts.build(),
                        CheckInputs.path(17, 18)));

        assertThat(findings).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.WARNING);
            assertThat(x.objects()).containsExactly(
                    "db \"Unicode Lab\": table \"Text Ops\".\"Words\" (CHECK constraint or partition key)",
                    "db \"Unicode Lab\": index \"Text Ops\".\"Words Lower\"",
                    "db \"Unicode Lab\": materialized view \"Text Ops\".folded",
                    "db \"Unicode Lab\": index \"Text Ops\".words_nfc");
        });
        applyFix(findings.get(0));  // REINDEX / REFRESH run for real
    }

    @Test
    void subscriptionsFrom17AreCarried() {
        String db = database("Sub Side");
        pg.sql(db, "CREATE SUBSCRIPTION \"Sub 1\" CONNECTION 'host=127.0.0.1 port=1 dbname=nowhere'"
                + " PUBLICATION pub WITH (connect = false)");
        try {
            List<Finding> findings = run(new Subscriptions(), Facts.healthy(), CheckInputs.path(18, 18));
            assertThat(findings).singleElement().satisfies(x -> {
                assertThat(x.severity()).isEqualTo(Severity.INFO);
                assertThat(x.objects()).containsExactly("subscription \"Sub 1\" in db \"Sub Side\"");
                assertThat(x.detail()).contains("max_active_replication_origins must be at least 1");
            });
        } finally {
            pg.sql(db, "ALTER SUBSCRIPTION \"Sub 1\" SET (slot_name = NONE)", "DROP SUBSCRIPTION \"Sub 1\"");
        }
    }
}
