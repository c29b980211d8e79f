package io.pgmigrate.facts;

/**
 * Everything inspection gathered: the planner's only input besides the inventory. Serialisable.
 *
 * @param rehearsal the schema rehearsal's outcome, or null when it was not asked for
 * @param standbys  the inventory's standbys as read (issue #15), in the inventory's order
 * @param patroni   the Patroni cluster of the inventory's {@code ha.patroni} as read, null without one
 */
public record ClusterFacts(SourceFacts source, TargetFacts target, RehearsalFacts rehearsal,
                           java.util.List<StandbyFacts> standbys, PatroniFacts patroni,
                           java.util.List<GreenStandbyFacts> greenStandbys) {
    public ClusterFacts {
        standbys = standbys == null ? java.util.List.of() : java.util.List.copyOf(standbys);
        greenStandbys = greenStandbys == null ? java.util.List.of() : java.util.List.copyOf(greenStandbys);
    }

    /** Facts without green standbys. */
    public ClusterFacts(SourceFacts source, TargetFacts target, RehearsalFacts rehearsal,
                        java.util.List<StandbyFacts> standbys, PatroniFacts patroni) {
        this(source, target, rehearsal, standbys, patroni, java.util.List.of());
    }

    /** Facts of a cluster without Patroni. */
    public ClusterFacts(SourceFacts source, TargetFacts target, RehearsalFacts rehearsal,
                        java.util.List<StandbyFacts> standbys) {
        this(source, target, rehearsal, standbys, null);
    }

    /** Facts of a source without standbys listed. */
    public ClusterFacts(SourceFacts source, TargetFacts target, RehearsalFacts rehearsal) {
        this(source, target, rehearsal, java.util.List.of(), null);
    }

    public ClusterFacts withRehearsal(RehearsalFacts r) {
        return new ClusterFacts(source, target, r, standbys, patroni, greenStandbys);
    }

    public ClusterFacts withStandbys(java.util.List<StandbyFacts> list) {
        return new ClusterFacts(source, target, rehearsal, list, patroni, greenStandbys);
    }

    public ClusterFacts withPatroni(PatroniFacts p) {
        return new ClusterFacts(source, target, rehearsal, standbys, p, greenStandbys);
    }

    public ClusterFacts withGreenStandbys(java.util.List<GreenStandbyFacts> list) {
        return new ClusterFacts(source, target, rehearsal, standbys, patroni, list);
    }

    /** The facts of the standby the inventory names so; empty when it was not read. */
    public java.util.Optional<StandbyFacts> standby(String name) {
        return standbys.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
