package io.pgmigrate.execute;

import io.pgmigrate.planner.UpgradeCommands;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The way back before the point of no return (pg_upgrade documentation, "Reverting to old cluster"):
 * stop the new cluster if it runs, give the old one its pg_control back if --link renamed it, start the
 * old cluster, and remove the new data directory, which holds nothing yet. Says what it did.
 */
final class Rollback {
    private static final Duration TIMEOUT = Duration.ofMinutes(11);

    private final ExecutionContext ctx;

    Rollback(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    /** Returns the actions taken, in order; throws {@link StepFailure} when the old cluster cannot be started. */
    List<String> run(JournalState state) {
        UpgradeCommands cmd = ctx.commands();
        HostShell sh = ctx.shell();
        List<String> done = new ArrayList<>();
        if (state.isFinished("outage.start-new")) {
            run(sh, cmd.stopNew());
            done.add("stopped the new cluster");
        }
        String control = cmd.oldData() + "/global/pg_control";
        if (sh.run(List.of("test", "-e", control + ".old"), TIMEOUT).ok()
                && !sh.run(List.of("test", "-e", control), TIMEOUT).ok()) {
            run(sh, List.of("mv", "--", control + ".old", control));
            done.add("renamed global/pg_control.old back to global/pg_control");
        }
        if (state.isFinished("outage.stop-old") || state.lastFailed() != null
                && !sh.run(List.of("test", "-e", cmd.oldData() + "/postmaster.pid"), TIMEOUT).ok()) {
            CommandResult r = sh.run(cmd.startOld(), TIMEOUT);
            if (!r.ok()) {
                throw new StepFailure("rollback could not start the old cluster: " + r.lastErrorLine());
            }
            done.add("started the old cluster");
        }
        if (state.isFinished("prepare.initdb") || "prepare.initdb".equals(state.lastFailed())) {
            run(sh, cmd.removeTree(cmd.newData()));
            done.add("removed the new data directory " + cmd.newData());
        }
        // the detached steps' records belong to this attempt: the next execution starts them afresh
        run(sh, cmd.removeTree(ctx.stepStateDir()));
        return done;
    }

    private static void run(HostShell sh, List<String> argv) {
        CommandResult r = sh.run(argv, TIMEOUT);
        if (!r.ok()) {
            throw new StepFailure("rollback: '" + String.join(" ", argv) + "' failed: " + r.lastErrorLine());
        }
    }
}
