package io.pgmigrate.execute.inplace;

import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.journal.JournalEvent.Checkpoint;
import io.pgmigrate.pg.ControlData;
import io.pgmigrate.pg.Lsn;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.planner.inplace.UpgradeCommands;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;

/**
 * Whether a step that is itself the point of no return, and failed or was interrupted, actually crossed it. The marker
 * says where the way back closes once the step has done its work; a step that failed before doing it leaves the way
 * back open, and the executor rolls back instead of giving up. Asked once: the executor journals the answer "crossed"
 * the first time it learns it and from then on reads it from the journal. Each answer is read from the host:
 * <ul>
 *   <li>{@code pg_upgrade --swap}: pg_upgrade renames the old {@code global/pg_control} just before it begins
 *   swapping (pg_upgrade.c, disable_old_cluster). While the old pg_control is in place, no data directory was
 *   swapped.</li>
 *   <li>starting the new cluster ({@code --link}; {@code --copy}/{@code --clone} without pgbouncer): the new server
 *   never ran if no postmaster is left and its control file is exactly as pg_upgrade left it (cleanly shut down, same
 *   latest checkpoint as recorded before the start), e.g. when its port was taken.</li>
 * </ul>
 * Anything else, or any doubt (the host cannot be asked), counts as crossed.
 */
final class NoReturn {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final UpgradeCommands cmd;
    private final HostShell sh;

    NoReturn(ExecutionContext ctx) {
        this.cmd = ctx.commands();
        this.sh = ctx.shell();
    }

    /** What the step's failure is later compared with: the new cluster's latest checkpoint before it starts. */
    Checkpoint before(Step step) {
        if (step.marker() != Marker.POINT_OF_NO_RETURN || step.role() != StepRole.START_NEW_CLUSTER) {
            return null;
        }
        return newCheckpoint();
    }

    /** Null when the failed step left the way back open; otherwise why it is closed. */
    String crossed(Step step, Checkpoint before) {
        try {
            switch (step.role()) {
                case PG_UPGRADE: {
                    String control = cmd.oldData() + "/global/pg_control";
                    boolean intact = exists(control) && !exists(control + ".old");
                    return intact ? null : "pg_upgrade had disabled the old cluster (" + control + ".old) to begin"
                            + " moving its files";
                }
                case START_NEW_CLUSTER: {
                    if (exists(cmd.newData() + "/postmaster.pid")) {
                        return "the new cluster's postmaster.pid exists: it may have started";
                    }
                    Checkpoint now = newCheckpoint();
                    if (before == null || now == null || !"shut down".equals(now.state()) || !before.equals(now)) {
                        return "the new cluster's control file changed (latest checkpoint " + describe(before) + " → "
                                + describe(now) + "): it ran";
                    }
                    return null;
                }
                default:
                    return "pgmigrate cannot tell whether " + step.id() + " took effect";
            }
        } catch (TransportException e) {
            return "the host cannot be asked whether " + step.id() + " took effect (" + e.getMessage() + ")";
        }
    }

    private static String describe(Checkpoint c) {
        return c == null ? "unknown" : c.state() + " at " + c.location();
    }

    /** The new cluster's state and latest checkpoint, null when unreadable. */
    private Checkpoint newCheckpoint() {
        CommandResult r = sh.run(cmd.controlData(cmd.newData(), cmd.newBinDir()), TIMEOUT);
        if (!r.ok()) {
            return null;
        }
        try {
            ControlData cd = ControlData.parse(r.stdout());
            return new Checkpoint(cd.clusterState(), cd.get(ControlData.CHECKPOINT_LOCATION).map(Lsn::parse)
                    .orElse(null));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private boolean exists(String path) {
        return sh.exists(path, TIMEOUT);
    }
}
