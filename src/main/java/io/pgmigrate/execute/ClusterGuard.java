package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent.CreatedCluster;
import io.pgmigrate.journal.JournalEvent.Recorded;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.pg.ClusterIdentity;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.util.List;

/**
 * pgmigrate removes a data directory only while it holds what pgmigrate made there. A step that makes a cluster (the
 * new cluster's or green's initdb, the scratch cluster's) records whether the host showed its directory absent or
 * empty as it started, and the cluster's PG_VERSION and system identifier right after it finished (both in the
 * journal). Before a data directory is removed (rollback, teardown, an interrupted initdb's remains, the scratch
 * cluster, the old cluster at cleanup) the host is asked again; anything else there (an inventory edited to point
 * elsewhere, a directory swapped) is refused in one line naming the directory and what it holds, nothing deleted.
 */
public final class ClusterGuard {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    /** Args: DIR. Exit 0 when it is absent or an empty directory (no symbolic link either way). */
    private static final String ABSENT_OR_EMPTY = """
            [ -L "$1" ] && exit 1
            [ -e "$1" ] || exit 0
            [ -d "$1" ] && [ -z "$(ls -A -- "$1")" ]
            """;

    private ClusterGuard() {
    }

    /** The data directory the step makes a cluster in, or null when it makes none. */
    public static String madeBy(Step step) {
        // a standby's new data directory (pg_basebackup) and the hard-link copy of its old one are made the same way
        boolean creates = step.role() == StepRole.NEW_CLUSTER_CREATE || step.role() == StepRole.SCRATCH_CREATE
                || step.role() == StepRole.STANDBY_REBUILD || step.role() == StepRole.STANDBY_KEEP;
        return creates && step.completion() instanceof Completion.FreshDirectory f ? f.path() : null;
    }

    /**
     * What the step's start records: with its directory when the host shows it absent or empty now, or when an
     * interrupted run of the step began so (what is there now is that run's, which this one attaches to or redoes).
     */
    static Recorded beforeCreate(ExecutionContext ctx, Step step, Recorded recorded, JournalState state) {
        String dir = madeBy(step);
        if (dir == null) {
            return recorded;
        }
        if (state.began(step.id()) && dir.equals(state.recorded(step.id()).newDirectory())) {
            return recorded.withNewDirectory(dir);
        }
        try {
            CommandResult r = ctx.shell(step).run(List.of("sh", "-c", ABSENT_OR_EMPTY, "pgmigrate-fresh", dir),
                    TIMEOUT);
            return r.ok() ? recorded.withNewDirectory(dir) : recorded;
        } catch (TransportException e) {
            return recorded;
        }
    }

    /** The cluster the finished step made, as its host shows it now; null when it makes none or cannot be read. */
    static CreatedCluster created(ExecutionContext ctx, Step step) {
        String dir = madeBy(step);
        if (dir == null) {
            return null;
        }
        try {
            ClusterIdentity id = read(ctx.shell(step), dir);
            return id.major() == 0 || id.systemIdentifier() == null ? null
                    : new CreatedCluster(dir, id.major(), id.systemIdentifier());
        } catch (TransportException e) {
            return null;
        }
    }

    /** PG_VERSION and the system identifier of the data directory on the host. */
    public static ClusterIdentity read(HostShell sh, String dir) {
        CommandResult r = sh.run(ClusterIdentity.readArgv(dir), TIMEOUT);
        return r.ok() ? ClusterIdentity.parse(r.stdout()) : new ClusterIdentity(0, null);
    }

    /**
     * Null when the data directory may be removed: it holds the cluster this execution made there (as journaled right
     * after initdb), or, when that end was never journaled, a step of this execution that makes a cluster there began
     * while it was absent or empty and nothing there names another major version. Else one line naming the directory
     * and what it holds: it is not to be touched.
     *
     * @param major the major version pgmigrate makes clusters of (the target's)
     */
    public static String refusal(HostShell sh, String dir, JournalState state, int major) {
        CreatedCluster made = state.createdCluster(dir);
        if (made == null && !state.madeDirectory(dir)) {
            return dir + " was not made by this execution of pgmigrate (its journal records no cluster made there)"
                    + found(read(sh, dir)) + "; nothing there was deleted or stopped";
        }
        ClusterIdentity found = read(sh, dir);
        if (made != null) {
            ClusterIdentity expected = new ClusterIdentity(made.major(), made.systemIdentifier());
            String differs = expected.differs(found);
            return differs == null ? null : dir + " does not hold the cluster pgmigrate made there (" + expected
                    + "): " + differs + "; nothing there was deleted or stopped";
        }
        return found.major() == 0 || found.major() == major ? null : dir + " holds PostgreSQL "
                + PgVersion.majorLabel(found.major()) + ", not the PostgreSQL " + PgVersion.majorLabel(major)
                + " cluster pgmigrate began to make there; nothing there was deleted or stopped";
    }

    /**
     * Null when the old cluster's data directory, which a step deleting it is about to remove, holds the cluster the
     * plan was made for (major version and system identifier of the facts); else one line naming it and what it holds.
     */
    public static String refusalOfOld(HostShell sh, String dir, int major, String systemIdentifier) {
        ClusterIdentity expected = new ClusterIdentity(major, systemIdentifier);
        String differs = expected.differs(read(sh, dir));
        return differs == null ? null : dir + " does not hold the old cluster the plan was made for (" + expected
                + "): " + differs + "; nothing was deleted";
    }

    /**
     * Before a step that removes a data directory runs for the first time (the scratch cluster's removal, the old
     * cluster's and the old standbys' deletion at cleanup): why it must not, or null.
     */
    static String beforeRemoval(ExecutionContext ctx, Step step, JournalState state) {
        if (state.began(step.id())) {
            // an interrupted removal passed this check when it began; what is left is partly deleted
            return null;
        }
        HostShell sh = ctx.shell(step);
        if (step.role() == StepRole.SCRATCH_REMOVE && step.action() instanceof Action.RemoveTree r
                && sh.exists(r.path(), TIMEOUT)) {
            return refusal(sh, r.path(), state, ctx.inventory().target().version());
        }
        // a standby's old data directory holds the same cluster as the primary's (issue #15)
        if ((step.role() == StepRole.DELETE_OLD_CLUSTER || step.role() == StepRole.DELETE_OLD_STANDBY)
                && step.completion() instanceof Completion.PathGone g
                && sh.exists(g.path(), TIMEOUT)) {
            return refusalOfOld(sh, g.path(), ctx.facts().version().major(), ctx.facts().systemIdentifier());
        }
        return null;
    }

    private static String found(ClusterIdentity id) {
        if (id.major() == 0 && id.systemIdentifier() == null) {
            return "";
        }
        return "; it holds " + (id.major() == 0 ? "no PG_VERSION" : "PostgreSQL " + PgVersion.majorLabel(id.major()))
                + (id.systemIdentifier() == null ? "" : ", system identifier " + id.systemIdentifier());
    }
}
