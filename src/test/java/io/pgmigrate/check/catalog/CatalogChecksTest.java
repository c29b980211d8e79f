package io.pgmigrate.check.catalog;

import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

class CatalogChecksTest {
    @Test
    void idsAreUniqueKebabCase() {
        List<String> ids = CatalogChecks.all().stream().map(PreCheck::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[a-z0-9]+(-[a-z0-9]+)*"));
        assertThat(ids).contains("system-composite-columns", "reg-type-columns", "aclitem-columns", "line-columns",
                "unknown-columns", "sql-identifier-columns", "abstime-reltime-tinterval-columns", "jsonb-beta-columns",
                "connection-settings", "isn-bigint-passing", "not-null-inheritance", "unicode-update",
                "loadable-libraries", "user-defined-encoding-conversions", "postfix-operators",
                "incompatible-polymorphics", "tables-with-oids", "pg-role-prefix", "icu-collations-without-icu",
                "lz4-compressed-columns", "subscriptions", "unlogged-tables");
    }

    @Test
    void probesAreUniqueReadOnlyQualifiedSelects() {
        for (UpgradePath p : List.of(path(904, 18), path(906, 18), path(11, 18), path(12, 18), path(13, 18),
                path(15, 18), path(17, 18), path(18, 18))) {
            Set<String> seen = new HashSet<>();
            for (PreCheck c : CatalogChecks.all()) {
                if (!c.appliesTo(p)) {
                    continue;
                }
                for (Probe probe : c.probes(p)) {
                    assertThat(seen.add(probe.id())).as("probe id %s", probe.id()).isTrue();
                    assertThat(probe.id()).startsWith(c.id());
                    String sql = probe.sql();
                    assertThat(sql).as(probe.id()).matches("(?s)^(SELECT|WITH) .*")
                            .doesNotContainPattern("(?i)\\b(insert|update|delete|create|drop|alter|grant)\\s")
                            .doesNotContain(";");
                    // every catalog relation is schema-qualified
                    assertThat(sql).as(probe.id()).doesNotContainPattern("(?<![._a-z])pg_(class|type|attribute|"
                            + "namespace|proc|database|depend|collation|index|inherits|range|roles|subscription)\\b");
                }
            }
        }
    }

    @Test
    void healthyFactsGiveNoFindingsOnAnyPath() {
        for (UpgradePath p : List.of(path(904, 18), path(906, 18), path(11, 18), path(13, 18), path(15, 18),
                path(17, 18), path(18, 18))) {
            for (PreCheck c : CatalogChecks.all()) {
                if (c.appliesTo(p)) {
                    assertThat(c.evaluate(CheckInputs.input(io.pgmigrate.testing.Facts.healthy(), p.sourceMajor(),
                            p.targetMajor()))).as("%s on %s", c.id(), p).isEmpty();
                }
            }
        }
    }

    /**
     * The gates over the pairs pgmigrate supports, 17 included (no 17 binaries here: Pg13SourceChecksIT and
     * Pg18SourceIT make the 13 and 17+ gated checks fire for real, this pins what each pair runs).
     */
    @Test
    void eachSupportedPairRunsTheChecksItsGatesSelect() {
        List<String> always = List.of("connection-settings", "system-composite-columns", "reg-type-columns",
                "isn-bigint-passing", "distinct-operators-outside-catalog", "loadable-libraries", "subscriptions",
                "unlogged-tables");
        List<String> only9or11 = List.of("line-columns", "unknown-columns", "sql-identifier-columns",
                "abstime-reltime-tinterval-columns", "jsonb-beta-columns", "tables-with-oids", "pg-role-prefix");
        List<String> upTo13 = List.of("postfix-operators", "incompatible-polymorphics",
                "user-defined-encoding-conversions");
        for (UpgradePath p : List.of(path(13, 14), path(13, 17), path(13, 18), path(15, 17), path(15, 18),
                path(16, 17), path(16, 18), path(17, 18))) {
            assertThat(ids(p)).as("%s", p).containsAll(always).doesNotContainAnyElementsOf(only9or11);
        }
        assertThat(ids(path(13, 18))).containsAll(upTo13).contains("aclitem-columns", "not-null-inheritance")
                .doesNotContain("lz4-compressed-columns", "unicode-update");
        assertThat(ids(path(13, 17))).containsAll(upTo13).contains("aclitem-columns")
                .doesNotContain("not-null-inheritance", "unicode-update");
        assertThat(ids(path(15, 17))).contains("aclitem-columns", "lz4-compressed-columns")
                .doesNotContain("not-null-inheritance", "unicode-update").doesNotContainAnyElementsOf(upTo13);
        assertThat(ids(path(16, 17))).doesNotContain("aclitem-columns", "not-null-inheritance", "unicode-update");
        assertThat(ids(path(16, 18))).contains("not-null-inheritance").doesNotContain("aclitem-columns");
        assertThat(ids(path(17, 18))).contains("unicode-update", "not-null-inheritance")
                .doesNotContain("aclitem-columns").doesNotContainAnyElementsOf(upTo13);
    }

    private static List<String> ids(UpgradePath p) {
        return CatalogChecks.all().stream().filter(c -> c.appliesTo(p)).map(PreCheck::id).toList();
    }

    @Test
    void fifteenToEighteenRunsOnlyWhatApplies() {
        List<String> ids = CatalogChecks.all().stream().filter(c -> c.appliesTo(path(15, 18))).map(PreCheck::id)
                .toList();
        assertThat(ids).contains("aclitem-columns", "not-null-inheritance", "lz4-compressed-columns")
                .doesNotContain("unicode-update", "line-columns", "tables-with-oids", "postfix-operators");
    }
}
