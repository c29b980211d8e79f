package io.pgmigrate.plan;

/** Where a step runs. */
public enum HostRole {
    /** The host of the old cluster (also the new one for in-place upgrades). */
    SOURCE,
    /** The host of the new cluster when it is another machine (blue/green). */
    TARGET,
    /** The machine pgmigrate runs on. */
    CONTROLLER,
    /** The host of one of the source's standbys (in place, issue #15): the step's {@code standby} names which. */
    STANDBY
}
