package io.pgmigrate.check;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.plan.Finding;

import io.pgmigrate.check.catalog.CatalogChecks;
import io.pgmigrate.check.cluster.ClusterChecks;
import io.pgmigrate.check.logical.LogicalChecks;

import java.util.ArrayList;
import java.util.List;

/**
 * Every pre-check pgmigrate runs, in the order the plan lists their findings: the cluster and catalog checks
 * for every strategy, then the logical-replication pre-flight when the strategy is logical.
 */
public final class PreChecks {
    private PreChecks() {
    }

    public static List<PreCheck> all(Strategy strategy) {
        List<PreCheck> all = new ArrayList<>(ClusterChecks.all());
        all.addAll(CatalogChecks.all());
        if (strategy == Strategy.LOGICAL) {
            all.addAll(LogicalChecks.all());
        }
        return List.copyOf(all);
    }

    /** Checks that apply to this strategy and path. */
    public static List<PreCheck> applicable(Strategy strategy, UpgradePath path) {
        return all(strategy).stream().filter(c -> c.appliesTo(path)).toList();
    }

    /** The SQL probes inspection must run for this strategy and path. */
    public static List<Probe> probes(Strategy strategy, UpgradePath path) {
        return applicable(strategy, path).stream().flatMap(c -> c.probes(path).stream()).toList();
    }

    /** Runs every applicable check; pure. */
    public static List<Finding> evaluate(CheckInput input) {
        List<Finding> findings = new ArrayList<>();
        for (PreCheck c : applicable(input.inventory().strategy(), input.path())) {
            findings.addAll(c.evaluate(input));
        }
        return findings;
    }
}
