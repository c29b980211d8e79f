package io.pgmigrate.journal;

import io.pgmigrate.journal.JournalEvent.ExecutionStarted;
import io.pgmigrate.journal.JournalEvent.Failure;
import io.pgmigrate.journal.JournalEvent.PointOfNoReturnCrossed;
import io.pgmigrate.journal.JournalEvent.Recorded;
import io.pgmigrate.journal.JournalEvent.RollbackKind;
import io.pgmigrate.pg.Lsn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the journal's last execution stands, derived from its typed events only: steps finished (never run again),
 * begun, the step started and never ended (interrupted: re-checked before anything else), the last failure, whether
 * the point of no return was crossed, and how the execution ended. Events of earlier executions (before the last
 * execution-started event of another execution id) are history: they count for nothing here.
 */
public final class JournalState {
    private final List<JournalEvent> events;
    private final String execution;
    private final String planDigest;
    private final Set<String> finished = new LinkedHashSet<>();
    private final Set<String> began = new LinkedHashSet<>();
    private final Map<String, Recorded> recorded = new HashMap<>();
    private final Map<String, Lsn> positions = new HashMap<>();
    private final Set<String> failedAtFrozenPoint = new LinkedHashSet<>();
    /** The clusters finished steps made, by the step that made them. */
    private final Map<String, JournalEvent.CreatedCluster> created = new HashMap<>();
    private String interrupted;
    private String lastFailed;
    private PointOfNoReturnCrossed crossed;
    private boolean ended;
    private boolean rolledBack;
    private boolean reversed;
    private boolean cleanedUp;
    private RollbackKind rollbackOpen;
    private String rollbackCause;

    private JournalState(List<JournalEvent> events) {
        this.events = List.copyOf(events);
        ExecutionStarted first = events.isEmpty() ? null : (ExecutionStarted) events.get(0);
        this.execution = first == null ? null : first.execution();
        this.planDigest = first == null ? null : first.planDigest();
        events.forEach(this::apply);
    }

    /** No execution. */
    public static JournalState none() {
        return new JournalState(List.of());
    }

    /** The state of the last execution in these events (all of the journal, in order). */
    public static JournalState of(List<JournalEvent> all) {
        int start = all.size();
        String id = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i) instanceof ExecutionStarted s) {
                if (id != null && !id.equals(s.execution())) {
                    break;
                }
                id = s.execution();
                start = i;
            }
        }
        return new JournalState(id == null ? List.of() : all.subList(start, all.size()));
    }

    private void apply(JournalEvent e) {
        if (e instanceof JournalEvent.StepStarted s) {
            interrupted = s.step();
            began.add(s.step());
            recorded.put(s.step(), s.recorded());
        } else if (e instanceof JournalEvent.StepFinished s) {
            finished.add(s.step());
            interrupted = null;
            if (s.walPosition() != null) {
                positions.put(s.step(), s.walPosition());
            }
            if (s.createdCluster() != null) {
                created.put(s.step(), s.createdCluster());
            }
        } else if (e instanceof JournalEvent.StepFailed s) {
            lastFailed = s.step();
            if (s.step().equals(interrupted)) {
                interrupted = null;
            }
            if (s.failure() == Failure.VERIFICATION_AT_FROZEN_POINT) {
                failedAtFrozenPoint.add(s.step());
            }
        } else if (e instanceof JournalEvent.StepUndone s) {
            finished.remove(s.step());
            began.remove(s.step());
            positions.remove(s.step());
            created.remove(s.step());
            if (s.step().equals(interrupted)) {
                interrupted = null;
            }
        } else if (e instanceof PointOfNoReturnCrossed c) {
            if (crossed == null) {
                crossed = c;
            }
        } else if (e instanceof ExecutionStarted) {
            ended = false;
        } else if (e instanceof JournalEvent.ExecutionFinished) {
            ended = true;
        } else if (e instanceof JournalEvent.RollbackStarted r) {
            rollbackOpen = r.kind();
            rollbackCause = r.step() == null ? "pgmigrate rollback" : r.step() + " failed";
        } else if (e instanceof JournalEvent.RollbackFinished r) {
            rollbackOpen = null;
            if (r.kind() == RollbackKind.REVERSE_CUTOVER) {
                reversed = true;
            } else {
                rolledBack = true;
            }
        } else if (e instanceof JournalEvent.CleanupFinished) {
            cleanedUp = true;
        }
    }

    /** The execution's id; null when the journal holds none. */
    public String execution() {
        return execution;
    }

    /** The digest of the plan the execution runs; null when the journal holds none. */
    public String planDigest() {
        return planDigest;
    }

    /** Whether the journal holds an execution at all. */
    public boolean any() {
        return execution != null;
    }

    /**
     * Whether the execution is over for good: rolled back to where it started (in place, or a blue/green teardown)
     * or cleaned up. The next execute starts a new execution, of this plan or of another.
     */
    public boolean closed() {
        return rolledBack || cleanedUp;
    }

    /** An execution that began and is not closed: the next run of execute continues it. */
    public boolean open() {
        return any() && !closed();
    }

    public boolean isFinished(String step) {
        return finished.contains(step);
    }

    /** Whether the step was started in this execution (it may have finished, failed or been interrupted). */
    public boolean began(String step) {
        return began.contains(step);
    }

    /** The finished steps, in the order they finished. */
    public Set<String> finished() {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(finished));
    }

    /** The begun steps, in the order they began. */
    public Set<String> began() {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(began));
    }

    /** The step started and never ended, or null. */
    public String interrupted() {
        return interrupted;
    }

    /** The step that failed last, or null. */
    public String lastFailed() {
        return lastFailed;
    }

    /** What was recorded when the step last started. */
    public Recorded recorded(String step) {
        return recorded.getOrDefault(step, Recorded.NOTHING);
    }

    /** The WAL position a finished wal-position step took, or null. */
    public Lsn walPosition(String step) {
        return positions.get(step);
    }

    /** The cluster a finished step of this execution made in the data directory (the last one), or null. */
    public JournalEvent.CreatedCluster createdCluster(String dataDir) {
        JournalEvent.CreatedCluster last = null;
        for (JournalEvent e : events) {
            if (e instanceof JournalEvent.StepFinished f && f.createdCluster() != null
                    && f.createdCluster().dataDir().equals(dataDir) && created.containsKey(f.step())) {
                last = f.createdCluster();
            }
        }
        return last;
    }

    /**
     * Whether a step of this execution that makes a cluster in the data directory began while the host showed it
     * absent (or empty), as its last start recorded: what is there now was made by it.
     */
    public boolean madeDirectory(String dataDir) {
        return began.stream().anyMatch(s -> dataDir.equals(recorded(s).newDirectory()));
    }

    /** Whether an earlier run of the step found a difference at the frozen point. */
    public boolean failedAtFrozenPoint(String step) {
        return failedAtFrozenPoint.contains(step);
    }

    /** The first crossing of the point of no return recorded, or null: once crossed, always crossed. */
    public PointOfNoReturnCrossed crossed() {
        return crossed;
    }

    /** Whether the execution completed (every step execute runs finished). */
    public boolean ended() {
        return ended;
    }

    /** Rolled back to where it started: in place the old cluster runs again; blue/green the teardown is complete. */
    public boolean rolledBack() {
        return rolledBack;
    }

    /** Blue/green: the reverse cutover completed, clients work on blue. */
    public boolean reversed() {
        return reversed;
    }

    public boolean cleanedUp() {
        return cleanedUp;
    }

    /** A rollback begun and not finished (it failed or was interrupted), or null. */
    public RollbackKind rollbackOpen() {
        return rollbackOpen;
    }

    /** What led to the last rollback: a failed step, or pgmigrate rollback. */
    public String rollbackCause() {
        return rollbackCause;
    }

    /** The execution's events, in order. */
    public List<JournalEvent> events() {
        return events;
    }

    public int entries() {
        return events.size();
    }

    /** The execution's events about steps, in order (for the measured outage). */
    public List<JournalEvent> stepEvents() {
        List<JournalEvent> out = new ArrayList<>();
        events.stream().filter(e -> e.step() != null).forEach(out::add);
        return out;
    }
}
