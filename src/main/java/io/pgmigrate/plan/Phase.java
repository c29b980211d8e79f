package io.pgmigrate.plan;

import java.time.Duration;
import java.util.List;

/** An ordered group of steps: pre-flight, prepare, outage, post, cleanup. */
public record Phase(String id, String title, Duration estimate, List<Step> steps) {
    public Phase {
        steps = List.copyOf(steps);
    }
}
