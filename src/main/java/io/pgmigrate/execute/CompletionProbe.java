package io.pgmigrate.execute;

import io.pgmigrate.pg.ControlData;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.planner.inplace.UpgradeCommands;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.DetachedCommand;
import io.pgmigrate.transport.HostShell;

import java.time.Duration;

/**
 * "Is this step already done?" for a step that an earlier run started and never finished (the tool,
 * SSH or the machine died), asked on the host before anything is repeated. Retry-safe steps are simply
 * run again; the others are looked at here, each by the effect it leaves behind.
 */
final class CompletionProbe {
    enum Verdict { DONE, REDO, UNKNOWN }

    record Status(Verdict verdict, String reason) {
    }

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final ExecutionContext ctx;

    CompletionProbe(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    Status status(Step step) {
        if (step.action() instanceof Action.RunCommand) {
            DetachedCommand d = ctx.detached(step.id(), step.host());
            DetachedCommand.Status st = d.status();
            if (st.state() != DetachedCommand.State.LOST) {
                return new Status(Verdict.REDO, st.state() == DetachedCommand.State.NOT_STARTED
                        ? "its program never started: start it"
                        : "its program is " + st + " on the host: attaching to it");
            }
            Status byEffect = byEffect(step);
            if (byEffect.verdict() == Verdict.REDO) {
                d.forget();
            }
            return byEffect;
        }
        return byEffect(step);
    }

    /** For a step whose program was lost (killed with its host session, say): what did it leave behind? */
    private Status byEffect(Step step) {
        UpgradeCommands cmd = ctx.commands();
        HostShell sh = ctx.shell(step.host());
        if (step.action() instanceof Action.RunSql q && LogicalChecks.createsPublicationOrSubscription(q)) {
            return new Status(Verdict.REDO, "run again: it is skipped when the " + (q.sql().toUpperCase()
                    .contains("PUBLICATION") ? "publication" : "subscription") + " is there already");
        }
        switch (step.id()) {
            case "green.start": {
                try (io.pgmigrate.transport.SqlSession s = ctx.sql(Action.Endpoint.TARGET,
                        ctx.access(Action.Endpoint.TARGET).maintenanceDatabase())) {
                    s.query("SELECT 1");
                    return new Status(Verdict.DONE, "green is running");
                } catch (io.pgmigrate.transport.TransportException e) {
                    return new Status(Verdict.REDO, "green is not running: start it");
                }
            }
            case "prepare.initdb", "preflight.scratch-initdb", "green.initdb": {
                String dir = ((Action.RunCommand) step.action()).argv().get(2);
                if (sh.exists(dir, TIMEOUT)) {
                    CommandResult rm = sh.run(cmd.removeTree(dir), TIMEOUT);
                    if (!rm.ok()) {
                        return new Status(Verdict.UNKNOWN, "cannot remove the half-made " + dir + ": " + rm.lastErrorLine());
                    }
                }
                return new Status(Verdict.REDO, "a new cluster holds nothing yet: removed what was there, initdb again");
            }
            case "outage.stop-old": {
                boolean running = sh.exists(cmd.oldData() + "/postmaster.pid", TIMEOUT);
                if (running) {
                    return new Status(Verdict.REDO, "the old cluster still runs: stop it again");
                }
                CommandResult cd = sh.run(cmd.controlData(cmd.oldData(), cmd.oldBinDir()), TIMEOUT);
                boolean clean = cd.ok() && ControlData.parse(cd.stdout()).shutDownCleanly();
                return clean ? new Status(Verdict.DONE, "the old cluster is shut down cleanly")
                        : new Status(Verdict.UNKNOWN, "the old cluster is stopped but not shut down cleanly; start it"
                        + " and stop it with pg_ctl stop -m fast before going on");
            }
            case "outage.pg-upgrade": {
                boolean complete = sh.exists(cmd.workDir() + "/delete_old_cluster.sh", TIMEOUT);
                return complete ? new Status(Verdict.DONE, "pg_upgrade completed (it wrote delete_old_cluster.sh)")
                        : new Status(Verdict.UNKNOWN, "pg_upgrade was interrupted before it completed; read "
                        + cmd.newData() + "/pg_upgrade_output.d, then follow the plan's rollback rules");
            }
            case "outage.start-new": {
                java.util.OptionalInt major = ctx.answeringMajor();
                if (major.isEmpty()) {
                    return new Status(Verdict.REDO, "the new cluster is not running: start it");
                }
                return major.getAsInt() == ctx.inventory().target().version()
                        ? new Status(Verdict.DONE, "the new cluster is running")
                        : new Status(Verdict.UNKNOWN, "a PostgreSQL " + major.getAsInt() + " server answers on the port");
            }
            case "cleanup.delete-old": {
                // delete_old_cluster.sh is rm -rf of the old data directory: finish it, or it finished
                boolean gone = !sh.exists(cmd.oldData(), TIMEOUT);
                return gone ? new Status(Verdict.DONE, "the old data directory is gone")
                        : new Status(Verdict.REDO, "the old data directory is partly deleted: deleting the rest");
            }
            default:
                return new Status(Verdict.UNKNOWN, "pgmigrate cannot tell whether it took effect");
        }
    }
}
