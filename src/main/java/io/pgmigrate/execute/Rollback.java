package io.pgmigrate.execute;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.pgmigrate.planner.inplace.UpgradeCommands;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The way back before the point of no return (pg_upgrade documentation, "Reverting to old cluster"),
 * from wherever the execution stopped, failed or was killed: stop whatever runs on the new data directory,
 * stop a server pg_upgrade left running on the old one, give the old cluster its pg_control back if
 * --link or --swap renamed it, start the old cluster, and remove the new data directory and the scratch
 * cluster, which hold nothing yet. Says what it did.
 */
final class Rollback {
    private static final Duration TIMEOUT = Duration.ofMinutes(11);
    private static final Duration START_PATIENCE = Duration.ofSeconds(90);

    private final ExecutionContext ctx;
    private final UpgradeCommands cmd;
    private final HostShell sh;

    Rollback(ExecutionContext ctx) {
        this.ctx = ctx;
        this.cmd = ctx.commands();
        this.sh = ctx.shell();
    }

    /** Returns the actions taken, in order; throws {@link StepFailure} when the old cluster cannot be started. */
    List<String> run(JournalState state) {
        List<String> done = new ArrayList<>();
        if (runs(cmd.newBinDir(), cmd.newData())) {
            run(cmd.stopNew());
            done.add("stopped the new cluster");
        }
        if (state.isFinished("outage.stop-old") && runs(cmd.oldBinDir(), cmd.oldData())) {
            // pgmigrate stopped the old cluster: a server on its data directory now is pg_upgrade's, left behind
            // by a killed pg_upgrade (sockets in the work directory only); restart it as the cluster it is
            run(List.of(cmd.oldBinDir() + "/pg_ctl", "stop", "-D", cmd.oldData(), "-m", "fast", "-w", "-t", "600"));
            done.add("stopped a server pg_upgrade had left running on the old data directory");
        }
        String control = cmd.oldData() + "/global/pg_control";
        if (exists(control + ".old") && !exists(control)) {
            run(List.of("mv", "--", control + ".old", control));
            done.add("renamed global/pg_control.old back to global/pg_control");
        }
        if (!runs(cmd.oldBinDir(), cmd.oldData())) {
            startOld();
            done.add("started the old cluster");
        }
        if (state.began("prepare.initdb") && exists(cmd.newData())) {
            run(cmd.removeTree(cmd.newData()));
            done.add("removed the new data directory " + cmd.newData());
        }
        if (exists(cmd.scratchDir())) {
            run(cmd.removeTree(cmd.scratchDir()));
            done.add("removed the scratch cluster " + cmd.scratchDir());
        }
        // the detached steps' records belong to this attempt: the next execution starts them afresh
        run(cmd.removeTree(ctx.stepStateDir()));
        return done;
    }

    /**
     * Starts the old cluster, trying again for a while: what made the step fail (a process holding the
     * port, say) may be what keeps the old cluster from starting, and it may go away.
     */
    private void startOld() {
        RetryPolicy<CommandResult> retry = RetryPolicy.<CommandResult>builder()
                .handleResultIf(r -> !r.ok() && !runs(cmd.oldBinDir(), cmd.oldData()))
                .withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(15)).withMaxDuration(START_PATIENCE)
                .withMaxRetries(-1)
                .onRetry(e -> ctx.out().println("  rollback: the old cluster did not start ("
                        + e.getLastResult().lastErrorLine() + "); trying again"))
                .build();
        CommandResult r = Failsafe.with(retry).get(() -> sh.run(cmd.startOld(), TIMEOUT));
        if (!r.ok() && !runs(cmd.oldBinDir(), cmd.oldData())) {
            throw new StepFailure("rollback could not start the old cluster within " + START_PATIENCE.toSeconds()
                    + " s: " + r.lastErrorLine());
        }
    }

    /** Whether a postmaster runs on the data directory (pg_ctl status). */
    private boolean runs(String binDir, String dataDir) {
        return exists(dataDir + "/postmaster.pid")
                && sh.run(List.of(binDir + "/pg_ctl", "status", "-D", dataDir), TIMEOUT).ok();
    }

    private boolean exists(String path) {
        return sh.exists(path, TIMEOUT);
    }

    private void run(List<String> argv) {
        CommandResult r = sh.run(argv, TIMEOUT);
        if (!r.ok()) {
            throw new StepFailure("rollback: '" + String.join(" ", argv) + "' failed: " + r.lastErrorLine());
        }
    }
}
