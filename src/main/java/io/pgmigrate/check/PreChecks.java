package io.pgmigrate.check;

import io.pgmigrate.check.catalog.CatalogChecks;
import io.pgmigrate.check.cluster.ClusterChecks;

import java.util.ArrayList;
import java.util.List;

/** Every pre-check pgmigrate runs, in the order the plan lists their findings. */
public final class PreChecks {
    private PreChecks() {
    }

    public static List<PreCheck> all() {
        List<PreCheck> all = new ArrayList<>(ClusterChecks.all());
        all.addAll(CatalogChecks.all());
        return List.copyOf(all);
    }

    /** Checks that apply to this path. */
    public static List<PreCheck> applicable(UpgradePath path) {
        return all().stream().filter(c -> c.appliesTo(path)).toList();
    }

    /** The SQL probes inspection must run for this path. */
    public static List<Probe> probes(UpgradePath path) {
        return applicable(path).stream().flatMap(c -> c.probes(path).stream()).toList();
    }

    /** Runs every applicable check; pure. */
    public static List<Finding> evaluate(CheckInput input) {
        List<Finding> findings = new ArrayList<>();
        for (PreCheck c : applicable(input.path())) {
            findings.addAll(c.evaluate(input));
        }
        return findings;
    }
}
