package io.pgmigrate.inspect;

/** Everything inspection gathered: the planner's only input besides the inventory. Serialisable. */
public record ClusterFacts(SourceFacts source, TargetFacts target) {
}
