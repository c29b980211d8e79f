package io.pgmigrate.check;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.TargetFacts;
import io.pgmigrate.inventory.Inventory;

import java.util.List;

/** What a check sees: the inventory, the facts and the upgrade path. */
public record CheckInput(Inventory inventory, ClusterFacts facts, UpgradePath path) {
    public SourceFacts source() {
        return facts.source();
    }

    public TargetFacts target() {
        return facts.target();
    }

    public List<ProbeRow> probe(String id) {
        return facts.source().probe(id);
    }
}
