package io.pgmigrate.check;

import io.pgmigrate.plan.Finding;

import java.util.List;

/**
 * One pre-check: a small unit that turns facts into findings. It may ask inspection to run SQL for
 * it ({@link #probes}); {@link #evaluate} is a pure function, unit-testable without a server.
 */
public interface PreCheck {
    /** Stable id, used in plans and findings, e.g. {@code aclitem-columns}. */
    String id();

    /** Whether the check applies to this upgrade at all (e.g. aclitem only from ≤15 to ≥16). */
    default boolean appliesTo(UpgradePath path) {
        return true;
    }

    /** SQL to run on the source during inspection; empty for checks that work on other facts. */
    default List<Probe> probes(UpgradePath path) {
        return List.of();
    }

    List<Finding> evaluate(CheckInput input);
}
