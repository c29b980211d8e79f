package io.pgmigrate.execute;

import io.pgmigrate.pg.ControlData;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Step;
import io.pgmigrate.planner.inplace.UpgradeCommands;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;

import java.time.Duration;
import java.util.List;

/**
 * Whether a failed step that is itself the point of no return actually crossed it. The marker says where
 * the way back closes once the step has done its work; a step that failed before doing it leaves the way
 * back open, and the executor rolls back instead of giving up. Each answer is read from the host:
 * <ul>
 *   <li>{@code pg_upgrade --swap}: pg_upgrade renames the old {@code global/pg_control} just before it
 *   begins swapping (pg_upgrade.c, disable_old_cluster). While the old pg_control is in place, no data
 *   directory was swapped.</li>
 *   <li>starting the new cluster ({@code --link}; {@code --copy}/{@code --clone} without pgbouncer): the
 *   new server never ran if no postmaster is left and its control file is exactly as pg_upgrade left it
 *   (cleanly shut down, same latest checkpoint as before the start), e.g. when its port was taken.</li>
 * </ul>
 * Anything else, or any doubt, counts as crossed.
 */
final class NoReturn {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    /** How the executor writes {@link #before}'s answer into the journal's step-started entry. */
    static final String BEFORE = "before: ";

    private final UpgradeCommands cmd;
    private final HostShell sh;

    NoReturn(ExecutionContext ctx) {
        this.cmd = ctx.commands();
        this.sh = ctx.shell();
    }

    /** What the step's failure is later compared with: the new cluster's latest checkpoint before it starts. */
    String before(Step step) {
        if (step.marker() != Marker.POINT_OF_NO_RETURN || !step.id().equals("outage.start-new")) {
            return null;
        }
        return newCheckpoint();
    }

    /** Null when the failed step left the way back open; otherwise why it is closed. */
    String crossed(Step step, String before) {
        switch (step.id()) {
            case "outage.pg-upgrade": {
                String control = cmd.oldData() + "/global/pg_control";
                boolean intact = exists(control) && !exists(control + ".old");
                return intact ? null : "pg_upgrade had disabled the old cluster (" + control + ".old) to begin "
                        + "moving its files";
            }
            case "outage.start-new": {
                if (exists(cmd.newData() + "/postmaster.pid")) {
                    return "the new cluster's postmaster.pid exists: it may have started";
                }
                String now = newCheckpoint();
                if (before == null || now == null || !now.startsWith("shut down at ") || !before.equals(now)) {
                    return "the new cluster's control file changed (latest checkpoint " + before + " → " + now
                            + "): it ran";
                }
                return null;
            }
            default:
                return "pgmigrate cannot tell whether " + step.id() + " took effect";
        }
    }

    /**
     * Why the way back is closed for an execution recorded in a journal, or null when it is open: a step
     * marked as the point of no return finished, or was started and failed or interrupted after crossing
     * it (asked on the host, with the state recorded when it started).
     */
    String closedBy(List<Step> steps, List<JournalEntry> entries) {
        JournalState state = JournalState.of(entries);
        for (Step step : steps) {
            if (step.marker() != Marker.POINT_OF_NO_RETURN) {
                continue;
            }
            if (state.isFinished(step.id())) {
                return "step " + step.id() + ", the point of no return, has finished";
            }
            if (state.began(step.id())) {
                String crossed = crossed(step, recordedBefore(entries, step.id()));
                if (crossed != null) {
                    return "step " + step.id() + ", the point of no return, was begun and " + crossed;
                }
            }
        }
        return null;
    }

    /** The state {@link #before} recorded in the journal when the step last started. */
    private static String recordedBefore(List<JournalEntry> entries, String stepId) {
        String before = null;
        for (JournalEntry e : entries) {
            if (e.event() == JournalEntry.Event.STEP_STARTED && stepId.equals(e.step())) {
                before = e.detail() != null && e.detail().startsWith(BEFORE) ? e.detail().substring(BEFORE.length()) : null;
            }
        }
        return before;
    }

    /** "shut down at LSN" of the new cluster (its state and latest checkpoint), null when unreadable. */
    private String newCheckpoint() {
        CommandResult r = sh.run(cmd.controlData(cmd.newData(), cmd.newBinDir()), TIMEOUT);
        if (!r.ok()) {
            return null;
        }
        ControlData cd;
        try {
            cd = ControlData.parse(r.stdout());
        } catch (IllegalArgumentException e) {
            return null;
        }
        return cd.clusterState() + " at " + cd.get(ControlData.CHECKPOINT_LOCATION).orElse("?");
    }

    private boolean exists(String path) {
        return sh.exists(path, TIMEOUT);
    }
}
