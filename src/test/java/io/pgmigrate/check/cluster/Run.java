package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;

import java.util.List;

/** Runs one check on built facts, as the planner would (only when it applies). */
final class Run {
    private Run() {
    }

    static List<Finding> check(PreCheck check, Facts facts) {
        return check(check, facts, Inventories.sample());
    }

    static List<Finding> check(PreCheck check, Facts facts, UpgradeMode mode) {
        return check(check, facts, Inventories.withMode(mode));
    }

    static List<Finding> check(PreCheck check, Facts facts, Inventory inv) {
        UpgradePath path = new UpgradePath(facts.version.major(), inv.target().version(), inv.options().mode());
        if (!check.appliesTo(path)) {
            return List.of();
        }
        List<Finding> findings = check.evaluate(new CheckInput(inv, facts.build(), path));
        findings.forEach(f -> {
            if (!f.check().equals(check.id())) {
                throw new AssertionError("finding of " + f.check() + " from " + check.id());
            }
        });
        return findings;
    }

    static List<Finding> of(List<Finding> findings, Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).toList();
    }

    static Inventory withTargetVersion(Inventory inv, int version) {
        Inventory.TargetCluster t = inv.target();
        return new Inventory(inv.name(), inv.strategy(), inv.source(),
                new Inventory.TargetCluster(version, t.binDir(), t.dataDir(), t.port(), t.host()), inv.options(),
                inv.cutover(), inv.smokeQueries(), inv.file());
    }

    static Inventory withUser(Inventory inv, String user) {
        Inventory.SourceCluster s = inv.source();
        Inventory.PgEndpoint pg = s.pg();
        return new Inventory(inv.name(), inv.strategy(), new Inventory.SourceCluster(s.host(),
                new Inventory.PgEndpoint(pg.host(), pg.port(), user, pg.database(), pg.sslmode()), s.tunnel(),
                s.dataDir(), s.binDir(), s.configFile(), s.service()), inv.target(), inv.options(), inv.cutover(),
                inv.smokeQueries(), inv.file());
    }
}
