package io.pgmigrate.plan;

/**
 * What a step means to the executor beyond its action: the moments of an upgrade that the way back, the point of no
 * return, the resume after a crash and the dry run are decided by. Most steps are {@link #NONE}: their action and
 * completion probe say all there is. The JSON names are the enum's names and never change once released.
 */
public enum StepRole {
    NONE,
    /** Creates the scratch cluster of the pre-flight's pg_upgrade --check (a dry run runs it for real). */
    SCRATCH_CREATE,
    /** pg_upgrade --check against the scratch cluster (a dry run runs it for real). */
    UPGRADE_CHECK,
    /** Removes the scratch cluster (a dry run runs it for real). */
    SCRATCH_REMOVE,
    /** initdb of the new cluster (green): once begun, going back removes its data directory, which holds nothing yet. */
    NEW_CLUSTER_CREATE,
    /**
     * Stops the old cluster: how it runs (its postmaster.opts) is recorded in the journal first, so that going back
     * starts it exactly as it ran.
     */
    STOP_OLD_CLUSTER,
    /** pg_upgrade itself: never stopped by its timeout; output of an earlier attempt is removed before it starts. */
    PG_UPGRADE,
    /**
     * Starts the new cluster. When it is the point of no return, the new cluster's control file is recorded before,
     * so that a failure can be told apart from a start that happened.
     */
    START_NEW_CLUSTER,
    /** Blue/green: the restart of blue for wal_level; going back makes sure blue answers again. */
    RESTART_SOURCE,
    /** Blue/green: writes frozen; the cutover (or its reverse) is open from here until its clients are switched. */
    FREEZE_WRITES,
    /** Blue/green: clients pointed at the other cluster; once it finished, the way back is the reverse cutover. */
    SWITCH_CLIENTS,
    /**
     * Creates the new cluster's Debian configuration directory ({@code /etc/postgresql/V/NAME}): going back removes it,
     * but only when this step made it (it refuses a directory that exists).
     */
    NEW_CLUSTER_CONFIG,
    /**
     * Once the point of no return is behind and the new cluster serves: the old cluster can no longer be started by
     * accident (a reboot, a habit) and the new one starts at boot instead ({@link Action.FenceOldCluster}). A rollback
     * that may still go back undoes it before it starts the old cluster.
     */
    FENCE_OLD_CLUSTER,
    /** Deletes the old cluster (only with pgmigrate cleanup). */
    DELETE_OLD_CLUSTER,
    /**
     * Stops an old standby once it has replayed the primary's shutdown checkpoint (issue #15): going back starts it
     * again, as it was.
     */
    STOP_STANDBY,
    /**
     * Before rsync changes a standby's old data directory: a copy of it made of hard links (no data copied), which
     * rsync leaves as it was (it replaces files, never writes into them); going back puts it back in place.
     */
    STANDBY_KEEP,
    /**
     * Makes a standby's new data directory (rsync from the primary, or pg_basebackup from the upgraded primary): going
     * back removes it.
     */
    STANDBY_REBUILD,
    /** Starts a standby on the new version: going back stops it. */
    START_STANDBY,
    /**
     * A standby streams from the new primary with no lag: the last of these to finish is when the cluster is highly
     * available again.
     */
    STANDBY_STREAMING,
    /**
     * Stops Patroni on a member's host ({@link Action.PatroniStop}): going back starts it again, the leader's first.
     */
    PATRONI_STOP,
    /** Edits patroni.yml on a member's host ({@link Action.PatroniConfig}): going back puts the kept file back. */
    PATRONI_CONFIG,
    /** Pauses Patroni for the window: going back turns the pause off again once Patroni runs on every member. */
    PATRONI_PAUSE,
    /** Deletes an old standby's data directory (only with pgmigrate cleanup). */
    DELETE_OLD_STANDBY
}
