package io.pgmigrate.execute.inplace;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.pgmigrate.execute.ClusterGuard;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.OldClusterFence;
import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.inventory.Inventory.ServiceControl;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.planner.inplace.UpgradeCommands;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The way back before the point of no return (pg_upgrade documentation, "Reverting to old cluster"; with --copy or
 * --clone also after it, when the DBA gives up the new cluster's writes), from wherever the execution stopped, failed
 * or was killed: stop whatever runs on the new data directory, stop a server pg_upgrade left running on the old one,
 * give the old cluster its pg_control back if --link, --swap or the fence renamed it, undo the rest of the fence, start
 * the old cluster exactly as it ran (the options of its postmaster.opts, recorded before it was stopped, or its
 * service), and say it serves only once it answers where the inventory says it lives, as the cluster the plan was made
 * for. Then the
 * new data directory (with a Debian target's configuration directory) and the scratch cluster are removed. Says what
 * it did.
 */
final class OldCluster {
    private static final Duration TIMEOUT = Duration.ofMinutes(11);
    private static final Duration START_PATIENCE = Duration.ofSeconds(90);
    private static final Duration ANSWER_PATIENCE = Duration.ofSeconds(60);

    private final ExecutionContext ctx;
    private final UpgradeCommands cmd;
    private final HostShell sh;

    OldCluster(ExecutionContext ctx) {
        this.ctx = ctx;
        this.cmd = ctx.commands();
        this.sh = ctx.shell();
    }

    /** Returns the actions taken, in order; throws {@link StepFailure} when the old cluster does not serve again. */
    List<String> restore(JournalState state) {
        refuseForeignNewData(state);
        List<String> done = new ArrayList<>();
        if (runs(cmd.newBinDir(), cmd.newData())) {
            run(cmd.stopNew());
            done.add("stopped the new cluster");
        }
        Step stop = step(StepRole.STOP_OLD_CLUSTER);
        if (stop != null && state.isFinished(stop.id()) && runs(cmd.oldBinDir(), cmd.oldData())) {
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
        done.addAll(unfence(state));
        if (!runs(cmd.oldBinDir(), cmd.oldData())) {
            String options = stop == null ? null : state.recorded(stop.id()).serverOptions();
            startOld(options);
            done.add("started the old cluster" + (options == null || options.isBlank() ? ""
                    : " with the options it ran with (" + options + ")"));
        }
        done.add(answers());
        done.addAll(new StandbysBack(ctx).restore(state));
        done.addAll(new PatroniBack(ctx).restore(state));
        Step initdb = step(StepRole.NEW_CLUSTER_CREATE);
        if (initdb != null && state.began(initdb.id()) && exists(cmd.newData())) {
            run(cmd.removeTree(cmd.newData()));
            done.add("removed the new data directory " + cmd.newData());
        }
        Step config = step(StepRole.NEW_CLUSTER_CONFIG);
        if (config != null && state.isFinished(config.id()) && exists(cmd.newConfigDir())) {
            run(cmd.removeTree(cmd.newConfigDir()));
            done.add("removed the new cluster's configuration directory " + cmd.newConfigDir());
        }
        if (exists(cmd.scratchDir())) {
            String foreign = ClusterGuard.refusal(sh, cmd.scratchDir(), state, ctx.inventory().target().version());
            if (foreign == null) {
                run(cmd.removeTree(cmd.scratchDir()));
            }
            done.add(foreign == null ? "removed the scratch cluster " + cmd.scratchDir() : "kept " + foreign);
        }
        // the detached steps' records belong to this execution, which ends here
        run(cmd.removeTree(ctx.stepStateDir()));
        return done;
    }

    /**
     * Before anything is stopped or removed: the new data directory holds what this execution's initdb made there
     * ({@link ClusterGuard}), not a cluster an edited inventory or a swapped directory put in its place.
     */
    private void refuseForeignNewData(JournalState state) {
        Step initdb = step(StepRole.NEW_CLUSTER_CREATE);
        if (initdb != null && state.began(initdb.id()) && exists(cmd.newData())) {
            String foreign = ClusterGuard.refusal(sh, cmd.newData(), state, ctx.inventory().target().version());
            if (foreign != null) {
                throw new StepFailure("refused: " + foreign);
            }
        }
    }

    /**
     * The old cluster's fence undone before it starts (its pg_control comes back with the rename above): only when the
     * fence step began in this execution, back to what its start recorded. Returns what was done.
     */
    private List<String> unfence(JournalState state) {
        Step fence = step(StepRole.FENCE_OLD_CLUSTER);
        if (fence == null || !state.began(fence.id()) || !(fence.action() instanceof Action.FenceOldCluster f)) {
            return List.of();
        }
        return new OldClusterFence(sh, TIMEOUT).undo(f, state.recorded(fence.id()).fenceBefore());
    }

    private Step step(StepRole role) {
        return ctx.plan().steps().stream().filter(s -> s.role() == role).findFirst().orElse(null);
    }

    /**
     * Starts the old cluster, trying again for a while: what made the step fail (a process holding the port, say) may
     * be what keeps the old cluster from starting, and it may go away. With pg_ctl, the options it ran with (its
     * postmaster.opts before pgmigrate stopped it, as pg_ctl restart would use them) are given again.
     */
    private void startOld(String options) {
        List<String> argv = new ArrayList<>(cmd.startOld());
        if (ctx.inventory().source().service().kind() == ServiceControl.Kind.PG_CTL && options != null
                && !options.isBlank()) {
            argv.addAll(List.of("-o", options));
        }
        RetryPolicy<CommandResult> retry = RetryPolicy.<CommandResult>builder()
                .handleResultIf(r -> !r.ok() && !runs(cmd.oldBinDir(), cmd.oldData()))
                .withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(15)).withMaxDuration(START_PATIENCE)
                .withMaxRetries(-1)
                .onRetry(e -> ctx.out().println("  rollback: the old cluster did not start ("
                        + e.getLastResult().lastErrorLine() + "); trying again"))
                .build();
        CommandResult r = Failsafe.with(retry).get(() -> sh.run(argv, TIMEOUT));
        if (!r.ok() && !runs(cmd.oldBinDir(), cmd.oldData())) {
            throw new StepFailure("rollback could not start the old cluster within " + START_PATIENCE.toSeconds()
                    + " s: " + r.lastErrorLine());
        }
    }

    /**
     * The old cluster answers at the inventory's endpoint as the cluster the plan was made for (same major version and
     * system identifier); throws when it does not within a minute.
     */
    private String answers() {
        String where = ctx.inventory().source().pg().host() + ":" + ctx.inventory().source().pg().port();
        Instant deadline = ctx.clock().instant().plus(ANSWER_PATIENCE);
        String last = "";
        while (true) {
            try (SqlSession s = ctx.sql(Action.Endpoint.SOURCE, ctx.source().maintenanceDatabase())) {
                var row = s.query("SELECT current_setting('server_version_num') AS v,"
                        + " (SELECT system_identifier::text FROM pg_catalog.pg_control_system()) AS id").get(0);
                int major = (int) (Long.parseLong(row.get("v")) / 10000);
                String id = row.get("id");
                if (major == ctx.facts().version().major() && id.equals(ctx.facts().systemIdentifier())) {
                    return "checked that the old cluster answers at " + where + " (PostgreSQL " + major
                            + ", system identifier " + id + ")";
                }
                throw new StepFailure("rollback: at " + where + " answers PostgreSQL " + major + " with system"
                        + " identifier " + id + ", not the old cluster (" + ctx.facts().systemIdentifier() + ")");
            } catch (TransportException e) {
                last = e.getMessage();
            }
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new StepFailure("rollback started the old cluster, but it does not answer at " + where
                        + " within " + ANSWER_PATIENCE.toSeconds() + " s: " + last);
            }
            io.pgmigrate.execute.ActionRunner.sleep(Duration.ofSeconds(1));
        }
    }

    /** Whether a postmaster runs on the data directory (pg_ctl status). */
    private boolean runs(String binDir, String dataDir) {
        return io.pgmigrate.execute.Postmaster.runs(sh, binDir, dataDir, TIMEOUT);
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

    /** The options pg_ctl restart would give: postmaster.opts after the program's path (the first line). */
    static String serverOptions(String postmasterOpts) {
        String line = postmasterOpts.lines().findFirst().orElse("").strip();
        int arg = line.indexOf(" \"");
        return arg < 0 ? "" : line.substring(arg + 1).strip();
    }
}
