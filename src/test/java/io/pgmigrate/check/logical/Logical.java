package io.pgmigrate.check.logical;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;

import java.util.List;

/** Runs one logical pre-flight check on built facts with a {@code strategy: logical} inventory, 15 → 18. */
final class Logical {
    private Logical() {
    }

    static List<Finding> run(PreCheck check, Facts facts) {
        Inventory inv = Inventories.logical();
        UpgradePath path = new UpgradePath(facts.version.major(), inv.target().version(), inv.options().mode());
        List<Finding> findings = check.evaluate(new CheckInput(inv, facts.build(), path));
        findings.forEach(f -> {
            if (!f.check().equals(check.id())) {
                throw new AssertionError("finding of " + f.check() + " from " + check.id());
            }
        });
        return findings;
    }

    /** The single finding of a run. */
    static Finding one(PreCheck check, Facts facts) {
        List<Finding> all = run(check, facts);
        if (all.size() != 1) {
            throw new AssertionError("expected one finding, got " + all);
        }
        return all.get(0);
    }

    static List<Finding> of(List<Finding> findings, Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).toList();
    }
}
