package io.pgmigrate.facts;

/**
 * Everything inspection gathered: the planner's only input besides the inventory. Serialisable.
 *
 * @param rehearsal the schema rehearsal's outcome, or null when it was not asked for
 */
public record ClusterFacts(SourceFacts source, TargetFacts target, RehearsalFacts rehearsal) {
    public ClusterFacts withRehearsal(RehearsalFacts r) {
        return new ClusterFacts(source, target, r);
    }
}
