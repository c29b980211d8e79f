package io.pgmigrate.journal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.pgmigrate.pg.Lsn;

import java.time.Instant;

/**
 * One line of an execution journal: a typed event. Code reads only the typed fields; {@code note} and {@code reason}
 * are for people (redacted) and never parsed. The JSON names are the journal's format.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JournalEvent.ExecutionStarted.class, name = "execution-started"),
        @JsonSubTypes.Type(value = JournalEvent.StepStarted.class, name = "step-started"),
        @JsonSubTypes.Type(value = JournalEvent.StepFinished.class, name = "step-finished"),
        @JsonSubTypes.Type(value = JournalEvent.StepFailed.class, name = "step-failed"),
        @JsonSubTypes.Type(value = JournalEvent.StepOverdue.class, name = "step-overdue"),
        @JsonSubTypes.Type(value = JournalEvent.StepUndone.class, name = "step-undone"),
        @JsonSubTypes.Type(value = JournalEvent.PointOfNoReturnCrossed.class, name = "point-of-no-return-crossed"),
        @JsonSubTypes.Type(value = JournalEvent.RollbackStarted.class, name = "rollback-started"),
        @JsonSubTypes.Type(value = JournalEvent.RollbackFinished.class, name = "rollback-finished"),
        @JsonSubTypes.Type(value = JournalEvent.RollbackFailed.class, name = "rollback-failed"),
        @JsonSubTypes.Type(value = JournalEvent.ExecutionFinished.class, name = "execution-finished"),
        @JsonSubTypes.Type(value = JournalEvent.ExecutionFailed.class, name = "execution-failed"),
        @JsonSubTypes.Type(value = JournalEvent.CleanupFinished.class, name = "cleanup-finished"),
})
public sealed interface JournalEvent {
    /** The journal's format; an execution-started event of another format is refused. */
    int FORMAT = 2;

    Instant at();

    /** The step the event is about; null for events about the execution. */
    default String step() {
        return null;
    }

    /**
     * A run of execute began. {@code execution} names the execution it belongs to: a new one after the last one was
     * rolled back or cleaned up (or for the first run), the same one when an execution underway is resumed.
     * Everything an execution leaves on a host carries its id.
     *
     * @param format     {@link #FORMAT}
     * @param planDigest the digest of the plan this execution runs; a journal of another digest is refused
     * @param retryStep  the failed step run again (execute --retry-step), or null
     */
    record ExecutionStarted(Instant at, int format, String execution, String planDigest, Controller controller,
                            String retryStep) implements JournalEvent {
    }

    /** Who ran it: the controller's host name, OS user and process id. */
    record Controller(String host, String user, long pid) {
    }

    /** A step began; {@code recorded} holds what the executor recorded first to judge it later (never null). */
    record StepStarted(Instant at, String step, Recorded recorded) implements JournalEvent {
    }

    /**
     * What the executor recorded when a step started, for deciding later what the step did.
     *
     * @param newCluster      the new cluster's control file before it is started (point of no return at a start)
     * @param hostEpochSecond the host's clock when the step started (output files must be newer)
     * @param serverOptions   the old cluster's postmaster.opts before it is stopped (a rollback starts it exactly so)
     * @param newDirectory    the data directory an initdb step makes, recorded only when the host showed it absent (or
     *                        empty) as the step started: what an interrupted run of it left there is its own
     * @param fenceBefore     how both clusters were set to start at boot before the old one's fence (a rollback
     *                        restores exactly that); kept from the fence's first start when it runs again
     */
    record Recorded(Checkpoint newCluster, Long hostEpochSecond, String serverOptions, String newDirectory,
                    FenceBefore fenceBefore) {
        public static final Recorded NOTHING = new Recorded(null, null, null, null, null);

        public Recorded(Checkpoint newCluster, Long hostEpochSecond, String serverOptions) {
            this(newCluster, hostEpochSecond, serverOptions, null, null);
        }

        public Recorded withNewDirectory(String dataDir) {
            return new Recorded(newCluster, hostEpochSecond, serverOptions, dataDir, fenceBefore);
        }

        public Recorded withFenceBefore(FenceBefore before) {
            return new Recorded(newCluster, hostEpochSecond, serverOptions, newDirectory, before);
        }
    }

    /**
     * What the old cluster's fence changes, as it was before: Debian's start.conf of each cluster (its text; null when
     * there was none), or whether each systemd unit was enabled (null for the other layouts).
     */
    record FenceBefore(String oldStartConf, String newStartConf, Boolean oldUnitEnabled, Boolean newUnitEnabled) {
    }

    /** pg_controldata's "Database cluster state" and "Latest checkpoint location". */
    record Checkpoint(String state, Lsn location) {
    }

    /**
     * A step finished. {@code walPosition}: the WAL position a wal-position step took. {@code foundDone}: an
     * interrupted run was found done on the host, rather than run now. {@code createdCluster}: the cluster an initdb
     * step made, read on the host right after it; pgmigrate removes that data directory only while it holds it.
     */
    record StepFinished(Instant at, String step, Long millis, String note, Lsn walPosition, boolean foundDone,
                        CreatedCluster createdCluster) implements JournalEvent {
        public StepFinished(Instant at, String step, Long millis, String note, Lsn walPosition, boolean foundDone) {
            this(at, step, millis, note, walPosition, foundDone, null);
        }
    }

    /**
     * A cluster pgmigrate made (the new cluster, green, a scratch cluster): where, and what its PG_VERSION and
     * global/pg_control said right after initdb.
     */
    record CreatedCluster(String dataDir, int major, String systemIdentifier) {
    }

    /** A step failed (after its retries). */
    record StepFailed(Instant at, String step, Long millis, String reason, Failure failure) implements JournalEvent {
    }

    /** How a step failed. */
    enum Failure {
        STEP,
        /** A comparison found a difference (exit 5). */
        VERIFICATION,
        /** Blue/green: the comparison in the snapshots held at the frozen point found a difference. */
        VERIFICATION_AT_FROZEN_POINT,
        /** An interrupted run whose effect pgmigrate cannot tell. */
        UNKNOWN_EFFECT
    }

    /** A step that must not be interrupted ran past its timeout; pgmigrate keeps waiting. */
    record StepOverdue(Instant at, String step, long millis) implements JournalEvent {
    }

    /** A begun or finished step's effect was undone (a cutover abandoned): it counts as never run. */
    record StepUndone(Instant at, String step) implements JournalEvent {
    }

    /**
     * The executor learned that the point of no return is behind: written once, the first time, and from then on
     * read, never derived again.
     */
    record PointOfNoReturnCrossed(Instant at, String step, String why) implements JournalEvent {
    }

    /** What kind of way back. */
    enum RollbackKind {
        /** In place: back to the running old cluster. */
        OLD_CLUSTER,
        /** Blue/green before the switch: what was created is dropped, green removed. */
        TEARDOWN,
        /** Blue/green after the switch: the cutover in reverse. */
        REVERSE_CUTOVER
    }

    /** @param step the step whose failure led to it; null when asked for with pgmigrate rollback */
    record RollbackStarted(Instant at, RollbackKind kind, String step, String cause) implements JournalEvent {
    }

    record RollbackFinished(Instant at, RollbackKind kind, String note) implements JournalEvent {
    }

    record RollbackFailed(Instant at, RollbackKind kind, String step, String reason) implements JournalEvent {
    }

    record ExecutionFinished(Instant at, String note) implements JournalEvent {
    }

    record ExecutionFailed(Instant at, String step, String reason) implements JournalEvent {
    }

    /** pgmigrate cleanup completed: the execution is over; the next execute starts a new one. */
    record CleanupFinished(Instant at, String note) implements JournalEvent {
    }
}
