package io.pgmigrate.execute;

import io.pgmigrate.pg.ControlData;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.DetachedCommand;
import io.pgmigrate.transport.HostShell;

import java.time.Duration;
import java.util.List;

/**
 * "Is this step already done?" for a step that an earlier run started and never finished (the tool,
 * SSH or the machine died), asked on the host before anything is repeated. Retry-safe steps are simply
 * run again; the others are looked at here, each by the effect it leaves behind.
 */
public final class CompletionProbe {
    enum Verdict { DONE, REDO, UNKNOWN }

    record Status(Verdict verdict, String reason) {
    }

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final ExecutionContext ctx;

    public CompletionProbe(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    Status status(Step step, io.pgmigrate.journal.JournalState state) {
        if (step.action() instanceof Action.RunCommand) {
            DetachedCommand d = ctx.detached(step);
            DetachedCommand.Status st = d.status();
            if (st.state() != DetachedCommand.State.LOST) {
                return new Status(Verdict.REDO, st.state() == DetachedCommand.State.NOT_STARTED
                        ? "its program never started: start it"
                        : "its program is " + st + " on the host: attaching to it");
            }
            Status byEffect = byEffect(step, state);
            if (byEffect.verdict() == Verdict.REDO) {
                d.forget();
            }
            return byEffect;
        }
        return byEffect(step, state);
    }

    /** For a step whose program was lost (killed with its host session, say): what did it leave behind? */
    private Status byEffect(Step step, io.pgmigrate.journal.JournalState state) {
        HostShell sh = ctx.shell(step);
        Completion c = step.completion();
        if (c instanceof Completion.RunAgain) {
            return new Status(Verdict.REDO, "it is safe to run again");
        }
        if (c instanceof Completion.FreshDirectory f) {
            if (sh.exists(f.path(), TIMEOUT)) {
                // the copy kept of a standby's old data directory holds the old version; everything else the new
                int major = step.role() == io.pgmigrate.plan.StepRole.STANDBY_KEEP ? ctx.facts().version().major()
                        : ctx.inventory().target().version();
                String foreign = ClusterGuard.refusal(sh, f.path(), state, major);
                if (foreign != null) {
                    return new Status(Verdict.UNKNOWN, foreign);
                }
                CommandResult rm = sh.run(List.of("rm", "-rf", "--", f.path()), TIMEOUT);
                if (!rm.ok()) {
                    return new Status(Verdict.UNKNOWN, "cannot remove the half-made " + f.path() + ": " + rm.lastErrorLine());
                }
            }
            return new Status(Verdict.REDO, "a new cluster holds nothing yet: removed what was there, initdb again");
        }
        if (c instanceof Completion.ClusterShutDown d) {
            if (sh.exists(d.dataDir() + "/postmaster.pid", TIMEOUT)) {
                return new Status(Verdict.REDO, "the cluster still runs: stop it again");
            }
            CommandResult cd = sh.run(ctx.commands().controlData(d.dataDir(), d.binDir()), TIMEOUT);
            ControlData control = cd.ok() ? ControlData.parse(cd.stdout()) : null;
            // a standby stops "in recovery": as clean a stop as a primary's
            boolean clean = control != null && (control.shutDownCleanly() || control.shutDownInRecovery());
            return clean ? new Status(Verdict.DONE, "the cluster is shut down cleanly")
                    : new Status(Verdict.UNKNOWN, "the cluster is stopped but not shut down cleanly; start it"
                    + " and stop it with pg_ctl stop -m fast before going on");
        }
        if (c instanceof Completion.ServerRuns r) {
            return Postmaster.runs(sh, r.binDir(), r.dataDir(), TIMEOUT) ? new Status(Verdict.DONE, "a server runs on " + r.dataDir())
                    : new Status(Verdict.REDO, "no server runs on " + r.dataDir() + ": start it");
        }
        if (c instanceof Completion.OutputFiles o) {
            return outputFiles(step, o, sh, state.recorded(step.id()).hostEpochSecond());
        }
        if (c instanceof Completion.ServerAnswers a) {
            java.util.OptionalInt major = answeringMajor(a.endpoint());
            if (major.isEmpty()) {
                return new Status(Verdict.REDO, "no server answers: start it");
            }
            return major.getAsInt() == a.major() ? new Status(Verdict.DONE, "the PostgreSQL " + a.major() + " server runs")
                    : new Status(Verdict.UNKNOWN, "a PostgreSQL " + major.getAsInt() + " server answers there");
        }
        if (c instanceof Completion.OldClusterFenced && step.action() instanceof Action.FenceOldCluster f) {
            return new OldClusterFence(sh, TIMEOUT).holds(f) ? new Status(Verdict.DONE, "the old cluster is fenced")
                    : new Status(Verdict.REDO, "the old cluster is not fenced (completely): fencing it again");
        }
        if (c instanceof Completion.PathGone g) {
            return !sh.exists(g.path(), TIMEOUT) ? new Status(Verdict.DONE, g.path() + " is gone")
                    : new Status(Verdict.REDO, g.path() + " is partly deleted: deleting the rest");
        }
        return new Status(Verdict.UNKNOWN, "pgmigrate cannot tell whether it took effect");
    }

    /**
     * Done only when the program wrote its done-file during this step: the file exists and was modified at or after
     * the host's clock when the step started (recorded in the journal). A file an earlier attempt left never counts.
     */
    private Status outputFiles(Step step, Completion.OutputFiles o, HostShell sh, Long startedAt) {
        String logs = step.action() instanceof Action.RunCommand c && c.logs() != null
                ? "; read its log under " + c.logs().directory() : "";
        CommandResult st = sh.run(List.of("stat", "-c", "%Y", "--", o.doneFile()), TIMEOUT);
        if (!st.ok()) {
            return new Status(Verdict.UNKNOWN, "it was interrupted before it completed (no " + o.doneFile() + ")"
                    + logs + ", then follow the plan's rollback rules");
        }
        long modified;
        try {
            modified = Long.parseLong(st.stdout().strip());
        } catch (NumberFormatException e) {
            return new Status(Verdict.UNKNOWN, "cannot read the time of " + o.doneFile() + ": '" + st.stdout().strip()
                    + "'" + logs);
        }
        if (startedAt == null || modified < startedAt) {
            return new Status(Verdict.UNKNOWN, o.doneFile() + " is older than this run of the step (left by an"
                    + " earlier attempt), so it proves nothing: the step was interrupted before it completed" + logs
                    + ", then follow the plan's rollback rules");
        }
        return new Status(Verdict.DONE, "it completed (it wrote " + o.doneFile() + " after the step started)");
    }

    private java.util.OptionalInt answeringMajor(Action.Endpoint endpoint) {
        try (io.pgmigrate.transport.SqlSession s = ctx.sql(endpoint, ctx.access(endpoint).maintenanceDatabase())) {
            return java.util.OptionalInt.of((int) (s.query("SHOW server_version_num").get(0)
                    .getLong("server_version_num") / 10000));
        } catch (io.pgmigrate.transport.TransportException e) {
            return java.util.OptionalInt.empty();
        }
    }
}
