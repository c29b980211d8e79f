package io.pgmigrate.check.cluster;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterChecksTest {
    @Test
    void idsAreUniqueAndKebabCase() {
        List<String> ids = ClusterChecks.all().stream().map(PreCheck::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[a-z]+(-[a-z]+)*"));
        assertThat(ids).contains("inventory-matches-server", "superuser", "prepared-transactions", "data-checksums",
                "disk-space", "swap-mode", "same-file-system", "target-data-dir", "replication",
                "extensions-on-target", "settings");
    }

    @ParameterizedTest
    @EnumSource(UpgradeMode.class)
    void healthyFactsGiveNoBlockerNorWarning(UpgradeMode mode) {
        Facts f = Facts.healthy();
        f.sourceHost = new io.pgmigrate.facts.HostFacts(f.sourceHost.path(), true, "15", "2049", "xfs",
                f.sourceHost.freeBytes(), false, f.sourceHost.realPath(), f.sourceHost.path());
        List<Finding> all = new ArrayList<>();
        for (PreCheck c : ClusterChecks.all()) {
            all.addAll(Run.check(c, f, mode));
        }
        List<Finding> notInfo = all.stream().filter(x -> x.severity() != Severity.INFO)
                .filter(x -> !(mode == UpgradeMode.CLONE && x.check().equals("disk-space"))).toList();
        assertThat(notInfo).isEmpty();
    }

    @Test
    void factsRoundTripThroughJson() throws Exception {
        ClusterFacts facts = Facts.healthy().probe("p", "shop", "a", "1").build();
        String json = PlanJson.write(facts);
        assertThat(PlanJson.mapper().readValue(json, ClusterFacts.class)).isEqualTo(facts);
    }
}
