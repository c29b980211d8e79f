package io.pgmigrate.execute;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
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
    private static final Duration START_PATIENCE = Duration.ofSeconds(90);

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
            startOld(cmd, sh);
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

    /**
     * Starts the old cluster, trying again for a while: what made the step fail (a process holding the
     * port, say) may be what keeps the old cluster from starting, and it may go away.
     */
    private void startOld(UpgradeCommands cmd, HostShell sh) {
        RetryPolicy<CommandResult> retry = RetryPolicy.<CommandResult>builder()
                .handleResultIf(r -> !r.ok() && !oldRuns(cmd, sh))
                .withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(15)).withMaxDuration(START_PATIENCE)
                .withMaxRetries(-1)
                .onRetry(e -> ctx.out().println("  rollback: the old cluster did not start ("
                        + e.getLastResult().lastErrorLine() + "); trying again"))
                .build();
        CommandResult r = Failsafe.with(retry).get(() -> sh.run(cmd.startOld(), TIMEOUT));
        if (!r.ok() && !oldRuns(cmd, sh)) {
            throw new StepFailure("rollback could not start the old cluster within " + START_PATIENCE.toSeconds()
                    + " s: " + r.lastErrorLine());
        }
    }

    private static boolean oldRuns(UpgradeCommands cmd, HostShell sh) {
        return sh.run(List.of(cmd.oldBinDir() + "/pg_ctl", "status", "-D", cmd.oldData()), TIMEOUT).ok();
    }

    private static void run(HostShell sh, List<String> argv) {
        CommandResult r = sh.run(argv, TIMEOUT);
        if (!r.ok()) {
            throw new StepFailure("rollback: '" + String.join(" ", argv) + "' failed: " + r.lastErrorLine());
        }
    }
}
