package io.pgmigrate.planner;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;

import java.util.ArrayList;
import java.util.List;

/** The pg_upgrade documentation's "Reverting to old cluster", for the mode of this plan. */
final class RollbackRules {
    private RollbackRules() {
    }

    static List<String> forMode(UpgradeMode mode, boolean pgbouncer, Inventory.ServiceControl service) {
        List<String> rules = new ArrayList<>();
        rules.add("Until the old cluster is stopped: nothing has changed; abandoning the plan leaves it serving.");
        switch (mode) {
            case SWAP -> {
                rules.add("--swap: until pg_upgrade starts swapping, stopping here and starting the old cluster again"
                        + " restores service with its data intact.");
                rules.add("--swap: once pg_upgrade has begun swapping, the old data directory is reused by the new"
                        + " cluster; the way back is a backup or a standby (POINT OF NO RETURN at pg_upgrade).");
            }
            case LINK -> {
                rules.add("--link: if the new cluster was never started, the old one is usable again after"
                        + " renaming global/pg_control.old back to global/pg_control (pgmigrate does this on rollback).");
                rules.add("--link: once the new cluster has started, the old one shares its files and must not be"
                        + " started again; the way back is a backup or a standby (POINT OF NO RETURN at the start).");
            }
            case CLONE, COPY -> {
                rules.add("--" + mode.key() + ": the old cluster's files are untouched; it can be started again at any"
                        + " time until cleanup.");
                rules.add("--" + mode.key() + ": writes accepted by the new cluster would be lost by going back, so"
                        + " the point of no return is where clients reach the new cluster ("
                        + (pgbouncer ? "RESUME in pgbouncer" : "its start on the old port") + "). Past it,"
                        + " pgmigrate rollback --discard-new-writes still goes back, until cleanup: it stops the new"
                        + " cluster, undoes the fence (below), starts the old cluster and removes the new one, losing"
                        + " every write the new cluster accepted.");
            }
            default -> throw new IllegalStateException("unknown mode " + mode);
        }
        rules.add("Fence (" + (mode == UpgradeMode.COPY || mode == UpgradeMode.CLONE ? pgbouncer ? "post.fence-old, right"
                + " after the RESUME" : "outage.fence-old, as soon as the new cluster answers"
                : "outage.fence-old, as soon as the new cluster answers") + "): once the point of no return is behind,"
                + " nothing starts the old cluster by accident (a reboot would start it on the production port beside"
                + " the new one): " + fence(mode, service) + " pgmigrate cleanup leaves it fenced and deletes it.");
        rules.add("pgbouncer (when configured) is resumed on any failure, so clients never stay paused.");
        return List.copyOf(rules);
    }

    /**
     * The standbys' way back (issue #15), for the ways this plan brings them to the new version: rsync (link mode) and
     * re-creation with pg_basebackup.
     */
    /** Under Patroni (issue #15). */
    static final String PATRONI = "Patroni: paused, then stopped on every member for the window (failover is off from"
            + " the pause until the new cluster is healthy). Until the point of no return, rollback puts each patroni.yml"
            + " it edited back (patroni.yml.pgmigrate-old), starts Patroni again, the leader's first, on the old cluster"
            + " running again, and turns the pause off (or leaves it on when the cluster was found paused). Past it, a"
            + " failure names the members whose Patroni is still stopped.";

    static List<String> forStandbys(UpgradeMode mode, boolean rsynced, boolean recreated, boolean patroni) {
        List<String> rules = new ArrayList<>();
        rules.add("Standbys: each is stopped only once it has replayed the primary's shutdown checkpoint (checked with"
                + " pg_controldata). Until the point of no return, rollback stops whatever runs of them on the new"
                + " version, puts their old data directories back, starts them on the old version and checks that the"
                + " old primary sees each one stream.");
        if (rsynced) {
            rules.add("rsync changes a standby's old data directory into the primary's: the copy of it made of hard"
                    + " links just before (DATADIR.pgmigrate-kept) is what rollback puts back, until the new cluster"
                    + " starts; from then on the old files are the new cluster's too (link mode) and the way back is"
                    + " a backup.");
        }
        if (recreated) {
            rules.add("A re-created standby's old data directory is never touched (the copy goes into its"
                    + " target.dataDir" + (patroni ? ", which Patroni fills with pg_basebackup" : "") + "): until cleanup it is the old cluster at its shutdown checkpoint"
                    + (mode == UpgradeMode.COPY || mode == UpgradeMode.CLONE ? "; rollback --discard-new-writes"
                    + " starts it again with the old primary" : "; past the point of no return, promoting one of them"
                    + " on the old version is a way back that loses the writes made since the outage (by hand:"
                    + " pgmigrate does not promote)") + ".");
        }
        if (!patroni) {
            rules.add("Synchronous commit: the new cluster starts without synchronous_standby_names and gets it back"
                    + " once its synchronous standbys stream; a failure before that leaves commits asynchronous, and the"
                    + " step that sets it back says so.");
        }
        return rules;
    }

    /** How the old cluster is fenced, and how a rollback that may still go back undoes it. */
    private static String fence(UpgradeMode mode, Inventory.ServiceControl service) {
        boolean copyLike = mode == UpgradeMode.COPY || mode == UpgradeMode.CLONE;
        String undo = copyLike ? " rollback --discard-new-writes " : null;
        return switch (service.kind()) {
            case PG_CTL -> "its global/pg_control is renamed to pg_control.old, as pg_upgrade --link does" + (copyLike
                    ? "; rollback --discard-new-writes renames it back before it starts the old cluster."
                    : " (pg_upgrade --" + mode.key() + " did already: it is not renamed twice).");
            case PG_CTLCLUSTER -> "its Debian start.conf says disabled (kept as start.conf.pgmigrate) and the new"
                    + " cluster's says what the old one said" + (undo == null ? "." : ";" + undo + "restores the kept"
                    + " start.conf before it starts the old cluster and removes the new cluster's configuration.");
            case SYSTEMD -> "systemctl disable " + service.unit() + ", and the new cluster's unit is enabled"
                    + (undo == null ? "." : ";" + undo + "puts both units back as they were before the fence"
                    + " (recorded in the journal) before it starts the old cluster.");
        };
    }

    /** Blue/green: blue serves until the switch; after it, reverse replication keeps it current for the way back. */
    /** Blue/green with green's own standbys (issue #15). */
    static final String GREEN_STANDBYS = "Green's standbys: until the cutover begins, a failure or pgmigrate rollback"
            + " also stops each one pgmigrate began to copy and removes its data and work directories (only while its"
            + " data directory holds a copy of green). After the switch they follow green, also through a reverse"
            + " cutover: retire them with green. Blue's standbys are never touched.";

    static List<String> forLogical(boolean pgbouncer) {
        String resume = pgbouncer ? "clients are resumed in pgbouncer" : "the application logins are given back";
        return List.of(
                "Until the cutover begins blue serves and holds every write: a failure there, or pgmigrate rollback,"
                        + " drops what was created (subscriptions, publications, slots), stops green and removes its"
                        + " data directory, and leaves blue as it was (wal_level stays logical); the next execute"
                        + " starts from the first step. A run that was killed resumes where it stopped.",
                "Inside the cutover, before the switch (its schema check included), every step has a timeout: when"
                        + " one fails or times out, or a run killed there is started again, " + resume + " on blue,"
                        + " the reverse replication made so far is dropped and green's subscriptions are enabled"
                        + " again; replication goes on, and execute tries the cutover again.",
                "From the switch on (REVERSE CUTOVER marker) clients write to green and reverse replication keeps"
                        + " blue current: pgmigrate rollback is the cutover in reverse (freeze green, wait until blue"
                        + " has confirmed green's WAL position, sequences back, clients to blue) and loses nothing;"
                        + " it is abandoned the same way when it fails before its own switch. A failure after the"
                        + " switch stops with clients resumed on green: execute again finishes the remaining steps.",
                "There is no point of no return while reverse replication runs; it ends with pgmigrate cleanup, which"
                        + " drops subscriptions, publications and slots on both sides. After cleanup, the way back"
                        + " to blue is a new migration.",
                "A DDL change on either side while replication runs is not replicated: the cutover compares the"
                        + " schemas first and refuses on any difference.");
    }
}
