package io.pgmigrate.check;

import io.pgmigrate.inspect.ClusterFacts;
import io.pgmigrate.inspect.ProbeRow;
import io.pgmigrate.inspect.SourceFacts;
import io.pgmigrate.inspect.TargetFacts;
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
