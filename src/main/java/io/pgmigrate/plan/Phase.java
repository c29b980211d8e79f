package io.pgmigrate.plan;

import java.time.Duration;
import java.util.List;

/** An ordered group of steps: pre-flight, prepare, outage, post, cleanup. */
/** @param kind what the phase is, for the executor */
public record Phase(String id, PhaseKind kind, String title, Duration estimate, List<Step> steps) {
    public Phase {
        steps = List.copyOf(steps);
    }
}
