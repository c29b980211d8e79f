package io.pgmigrate.check.logical;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.PreChecks;
import io.pgmigrate.check.Probe;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.SourceFacts.PreparedTransactionFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The logical pre-flight as a whole: when it runs, that it only reads, and that pg_upgrade's wording stays out. */
class LogicalPreflightTest {
    private static final UpgradePath PATH = new UpgradePath(15, 18, UpgradeMode.SWAP);

    private static List<Finding> evaluate(Inventory inv, Facts f) {
        return PreChecks.evaluate(new CheckInput(inv, f.build(), PATH));
    }

    @Test
    void runsOnlyForTheLogicalStrategy() {
        assertThat(PreChecks.applicable(Strategy.PG_UPGRADE, PATH)).noneMatch(c -> c.id().startsWith("logical-"));
        assertThat(PreChecks.probes(Strategy.PG_UPGRADE, PATH)).noneMatch(p -> p.id().startsWith("logical-"));
        assertThat(PreChecks.applicable(Strategy.LOGICAL, PATH)).extracting(PreCheck::id)
                .containsAll(LogicalChecks.all().stream().map(PreCheck::id).toList());
        assertThat(evaluate(Inventories.sample(), Facts.healthy())).noneMatch(f -> f.check().startsWith("logical-"));
        assertThat(evaluate(Inventories.logical(), Facts.healthy())).extracting(Finding::check)
                .contains(WalLevel.ID);
    }

    @Test
    void idsAreUniqueAndSayLogical() {
        Set<String> ids = new HashSet<>();
        for (PreCheck c : LogicalChecks.all()) {
            assertThat(c.id()).startsWith("logical-");
            assertThat(ids.add(c.id())).as(c.id()).isTrue();
        }
    }

    @Test
    void everyProbeIsAPlainSelect() {
        for (Probe p : LogicalChecks.all().stream().flatMap(c -> c.probes(PATH).stream()).toList()) {
            assertThat(p.sql().strip()).as(p.id()).startsWithIgnoringCase("SELECT");
            assertThat(p.sql()).as(p.id()).doesNotContainPattern(
                    "(?i)\\b(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\\s|pg_create_|pg_drop_|pg_replication_origin_create");
        }
    }

    @Test
    void pgUpgradeWordingIsLeftOutOfALogicalPreflight() {
        Facts f = Facts.healthy();
        f.prepared.add(new PreparedTransactionFacts("xa-1", "shop", "app", "2026-11-24 09:00:00+00"));
        f.slots.add(Facts.slot("idle", "physical", false, 4096, -1));
        f.databases.set(1, Facts.db("shop", 1, 1, Facts.ext("postgis", "3.4.2")));
        f.probe("unlogged-tables", "shop", "schema_name", "public", "relation_name", "cache", "relkind", "r");
        List<Finding> logical = evaluate(Inventories.logical(), f);
        assertThat(logical).extracting(Finding::check).doesNotContain("prepared-transactions", "extensions-on-target",
                "unlogged-tables").contains("logical-prepared-transactions", "logical-extensions-on-green",
                "logical-existing-slots");
        assertThat(logical).filteredOn(x -> x.check().equals("replication")).isEmpty();
        List<Finding> inPlace = evaluate(Inventories.sample(), f);
        assertThat(inPlace).extracting(Finding::check).contains("prepared-transactions", "extensions-on-target",
                "unlogged-tables", "replication");
    }
}
