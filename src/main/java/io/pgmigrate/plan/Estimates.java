package io.pgmigrate.plan;

import java.time.Duration;
import java.util.List;

/**
 * Estimated durations, from relation counts and sizes; the assumptions say how they were reckoned.
 *
 * @param outage how long clients cannot write
 */
public record Estimates(Duration total, Duration outage, List<String> assumptions) {
}
