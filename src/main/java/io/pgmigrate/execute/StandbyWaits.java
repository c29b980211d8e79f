package io.pgmigrate.execute;

import io.pgmigrate.pg.ControlData;
import io.pgmigrate.pg.Lsn;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.SqlRow;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The standbys' checks and waits of an in-place plan (issue #15), each bounded by its step's timeout: a standby
 * replays the stopped primary's shutdown checkpoint; stopped, its control file says it got there; on the new
 * version, it streams from the new primary with nothing left to replay.
 */
final class StandbyWaits {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(1);

    private final ExecutionContext ctx;

    StandbyWaits(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    /** Polls the standby until its replay position is past the primary's shutdown checkpoint. */
    String replayed(Step step, Action.StandbyReplayed r) {
        ControlData primary = primaryStopped(step, r.primary());
        Lsn checkpoint = Lsn.parse(primary.get(ControlData.CHECKPOINT_LOCATION).orElseThrow(() ->
                new StepFailure(step.id() + ": pg_controldata of the primary shows no latest checkpoint location")));
        Instant deadline = ctx.clock().instant().plus(step.timeout());
        String last = "nothing read yet";
        while (true) {
            try (SqlSession s = ctx.standby(step.standby()).connect(ctx.standby(step.standby()).maintenanceDatabase(),
                    Duration.ofSeconds(30))) {
                String replay = s.query("SELECT pg_catalog.pg_last_wal_replay_lsn()::text AS lsn").get(0).get("lsn");
                if (replay != null && Lsn.parse(replay).compareTo(checkpoint) > 0) {
                    return "standby " + step.standby() + " replayed up to " + replay + ", past the primary's shutdown"
                            + " checkpoint at " + checkpoint;
                }
                last = "it has replayed up to " + replay;
            } catch (TransportException e) {
                last = "its server does not answer: " + e.getMessage();
            }
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new StepFailure(step.id() + ": standby " + step.standby() + " has not replayed the primary's"
                        + " shutdown checkpoint at " + checkpoint + " within " + step.timeout().toSeconds() + " s ("
                        + last + "); is its WAL receiver running and reaching the primary? Nothing of it was"
                        + " changed");
            }
            ActionRunner.sleep(POLL);
        }
    }

    /** The standby's control file, stopped: "shut down in recovery" at the primary's shutdown checkpoint. */
    String checkpoint(Step step, Action.StandbyCheckpoint c) {
        ControlData primary = primaryStopped(step, c.primary());
        String want = primary.get(ControlData.CHECKPOINT_LOCATION).orElse("?");
        ControlData standby = control(step, ctx.shell(step), c.standby(), "standby " + step.standby());
        String got = standby.get(ControlData.CHECKPOINT_LOCATION).orElse("?");
        if (!standby.shutDownInRecovery()) {
            throw new StepFailure(step.id() + ": standby " + step.standby() + "'s state is '" + standby.clusterState()
                    + "', not 'shut down in recovery'");
        }
        if (!got.equals(want)) {
            throw new StepFailure(step.id() + ": standby " + step.standby() + " stopped at checkpoint " + got
                    + ", the primary's shutdown checkpoint is at " + want + ": it does not hold everything the"
                    + " primary wrote, so it is neither rsynced nor a way back");
        }
        return "standby " + step.standby() + " stopped at the primary's shutdown checkpoint " + want;
    }

    private ControlData primaryStopped(Step step, Action.DataDirectory dir) {
        ControlData cd = control(step, ctx.shell(), dir, "the primary");
        if (!cd.shutDownCleanly()) {
            throw new StepFailure(step.id() + ": the primary's state is '" + cd.clusterState() + "', not 'shut down'");
        }
        return cd;
    }

    /** pg_controldata of the data directory on that host; a failure names whose it is. */
    private ControlData control(Step step, io.pgmigrate.transport.HostShell sh, Action.DataDirectory dir, String whose) {
        CommandResult r = sh.run(ctx.commands().controlData(dir.path(), dir.binDir()), CONTROL_TIMEOUT);
        if (!r.ok()) {
            throw new StepFailure(step.id() + ": pg_controldata of " + whose + " failed: " + r.lastErrorLine());
        }
        return ControlData.parse(r.stdout());
    }

    /**
     * Polls the new primary until the standby of this application name streams and has replayed everything written
     * before the step began.
     */
    String streams(Step step, Action.StandbyStreams w) {
        Instant deadline = ctx.clock().instant().plus(step.timeout());
        Lsn target = null;
        String last = "not connected";
        while (true) {
            try (SqlSession s = ctx.sql(Action.Endpoint.TARGET, ctx.source().maintenanceDatabase(),
                    Duration.ofSeconds(30))) {
                if (target == null) {
                    target = Lsn.parse(s.query("SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn").get(0)
                            .get("lsn"));
                }
                List<SqlRow> rows = s.query("SELECT state, replay_lsn::text AS replay FROM pg_catalog.pg_stat_replication"
                        + " WHERE application_name = ? ORDER BY replay_lsn DESC NULLS LAST", w.applicationName());
                if (!rows.isEmpty()) {
                    SqlRow row = rows.get(0);
                    String replay = row.get("replay");
                    if ("streaming".equals(row.get("state")) && replay != null
                            && Lsn.parse(replay).compareTo(target) >= 0) {
                        return "standby " + step.standby() + " streams, replayed up to " + replay;
                    }
                    last = row.get("state") + ", replayed up to " + replay + " of " + target;
                }
            } catch (TransportException e) {
                last = "the new primary does not answer: " + e.getMessage();
            }
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new StepFailure(step.id() + ": standby " + step.standby() + " (application name "
                        + w.applicationName() + ") does not stream from the new primary with no lag within "
                        + step.timeout().toSeconds() + " s (" + last + "); see its server log in its work directory");
            }
            ActionRunner.sleep(POLL);
        }
    }
}
