package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.StepRunner;

import io.pgmigrate.journal.JournalState;

import io.pgmigrate.execute.ActionRunner;
import io.pgmigrate.execute.ClusterGuard;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.execute.UndoOutcome;

import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.PhaseKind;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.plan.Step;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.planner.bluegreen.GreenStandbyCommands;
import io.pgmigrate.planner.inplace.UpgradeCommands;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The way back of a blue/green execution that has not switched clients: blue still holds every write, so what the
 * execution created is removed and blue is left as it was. Blue answers (it is started if a failed restart left it
 * down); the replication objects on both sides are dropped with the plan's own cleanup statements (an orphaned
 * slot keeps WAL until the disk fills); green, which holds nothing blue lacks, is stopped and its data directory
 * and work directory removed, so that the next execution starts from the first step. wal_level stays logical.
 * Says what it did; what it could not do is collected, not thrown, so that the rest is still done.
 */
final class BlueGreenTeardown {
    private static final Duration TIMEOUT = Duration.ofMinutes(11);

    private final ExecutionContext ctx;
    private final StepRunner runner;
    private final List<String> done = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();

    BlueGreenTeardown(ExecutionContext ctx, StepRunner runner) {
        this.ctx = ctx;
        this.runner = runner;
    }

    UndoOutcome run(JournalState state) {
        if (began(state, StepRole.RESTART_SOURCE)) {
            blueRuns();
        }
        Step initdb = ctx.plan().steps().stream().filter(s -> s.role() == StepRole.NEW_CLUSTER_CREATE).findFirst()
                .orElseThrow(() -> new IllegalStateException("a blue/green plan without green's initdb"));
        boolean green = state.began(initdb.id());
        Phase cleanup = ctx.plan().phase(PhaseKind.CLEANUP).orElse(null);
        if (cleanup != null && ctx.plan().phase(PhaseKind.REPLICATE).stream()
                .flatMap(p -> p.steps().stream()).anyMatch(s -> state.began(s.id()))) {
            for (Step s : cleanup.steps()) {
                if (!(s.action() instanceof io.pgmigrate.plan.Action.RemoveTree) && (green || !touchesGreen(s))) {
                    drop(s);
                }
            }
        }
        if (green) {
            removeGreenStandbys(state);
            removeGreen(initdb, cleanup, state);
        }
        return new UndoOutcome(done, failed);
    }

    /** Blue answers, or is started as the inventory says. */
    private void blueRuns() {
        try (SqlSession s = ctx.sql(io.pgmigrate.plan.Action.Endpoint.SOURCE, ctx.source().maintenanceDatabase())) {
            s.query("SELECT 1");
            return;
        } catch (TransportException e) {
            ctx.out().println("  blue does not answer (" + e.getMessage() + "): starting it");
        }
        UpgradeCommands cmd = ctx.commands();
        HostShell sh = ctx.shell();
        // the server log goes into the work directory: made or found private first
        String refused = io.pgmigrate.transport.PrivateDirectory.ensure(sh, cmd.workDir(), TIMEOUT);
        if (refused != null) {
            failed.add("blue was not started: " + refused);
            return;
        }
        CommandResult r = sh.run(cmd.startOld(), TIMEOUT);
        if (r.ok()) {
            done.add("started blue");
        } else {
            failed.add("blue did not start (" + r.lastErrorLine() + "): start it by hand: "
                    + String.join(" ", cmd.startOld()));
        }
    }

    private void drop(Step s) {
        try {
            runner.run(s);
            done.add(s.title().substring(0, 1).toLowerCase() + s.title().substring(1));
        } catch (StepFailure e) {
            failed.add(s.id() + " (" + e.getMessage() + ")");
        }
    }

    private boolean began(JournalState state, StepRole role) {
        return ctx.plan().steps().stream().anyMatch(s -> s.role() == role && state.began(s.id()));
    }

    /** A step that acts on green (its cluster or its host). */
    private static boolean touchesGreen(Step s) {
        io.pgmigrate.plan.Action a = s.action();
        io.pgmigrate.plan.Action.Endpoint e = a instanceof io.pgmigrate.plan.Action.DropSubscription d ? d.endpoint()
                : a instanceof io.pgmigrate.plan.Action.DropPublication d ? d.endpoint()
                : a instanceof io.pgmigrate.plan.Action.DropSlots d ? d.endpoint()
                : a instanceof io.pgmigrate.plan.Action.RunSql q ? q.endpoint() : null;
        return e == io.pgmigrate.plan.Action.Endpoint.TARGET || s.host() == HostRole.TARGET;
    }

    /** Green holds nothing blue lacks before the switch: stopped, its data and work directories removed. */
    private void removeGreen(Step initdb, Phase cleanup, JournalState state) {
        HostShell sh = ctx.shell(initdb.host());
        UpgradeCommands cmd = ctx.commands();
        String data = ctx.inventory().target().dataDir().toString();
        if (sh.exists(data, TIMEOUT)) {
            String foreign = ClusterGuard.refusal(sh, data, state, ctx.inventory().target().version());
            if (foreign != null) {
                failed.add("green was not stopped or removed: " + foreign);
                return;
            }
        }
        if (sh.exists(data + "/postmaster.pid", TIMEOUT)) {
            CommandResult stop = sh.run(cmd.stopNew(), TIMEOUT);
            if (!stop.ok()) {
                failed.add("green did not stop (" + stop.lastErrorLine() + "); its data directory " + data
                        + " was kept");
                return;
            }
            done.add("stopped green");
        }
        remove(sh, data, "green's data directory ");
        if (cleanup != null) {
            cleanup.steps().stream().filter(s -> s.action() instanceof io.pgmigrate.plan.Action.RemoveTree)
                    .findFirst().ifPresent(s -> remove(ctx.shell(s.host()),
                            ((io.pgmigrate.plan.Action.RemoveTree) s.action()).path(), "the work directory "));
        }
        for (HostShell host : List.of(ctx.shell(), sh)) {
            host.run(cmd.removeTree(ctx.stepStateDir()), TIMEOUT);
        }
        ctx.shell(HostRole.CONTROLLER).run(cmd.removeTree(ctx.stepStateDir(HostRole.CONTROLLER)), TIMEOUT);
    }

    /**
     * Green's standbys (issue #15) this execution began to copy: each stopped and its data and work directories
     * removed, but only while its data directory holds green's cluster (a copy has green's system identifier), or no
     * cluster yet in a directory the copy's start found absent or empty (journaled).
     */
    private void removeGreenStandbys(JournalState state) {
        io.pgmigrate.journal.JournalEvent.CreatedCluster greenMade = state.createdCluster(
                ctx.inventory().target().dataDir().toString());
        for (Step s : ctx.plan().steps()) {
            if (s.role() != StepRole.STANDBY_REBUILD || s.standby() == null || !state.began(s.id())) {
                continue;
            }
            Inventory.GreenStandby g = GreenStandbyCommands.find(ctx.inventory(), s.standby());
            if (g == null) {
                failed.add("green's standby " + s.standby() + " is not in the inventory: remove its copy of green by"
                        + " hand");
                continue;
            }
            GreenStandbyCommands sc = new GreenStandbyCommands(ctx.inventory(), g);
            HostShell sh;
            try {
                sh = ctx.standby(g.name()).shell();
                if (sh.exists(sc.dataDir(), TIMEOUT)) {
                    io.pgmigrate.pg.ClusterIdentity found = ClusterGuard.read(sh, sc.dataDir());
                    // no cluster there yet: removed only when the copy's start found the directory absent or empty
                    boolean fresh = sc.dataDir().equals(state.recorded(s.id()).newDirectory());
                    String differs = found.major() == 0 ? (fresh ? null : "it was not empty when the copy began")
                            : greenMade == null ? "no green cluster is journaled"
                            : new io.pgmigrate.pg.ClusterIdentity(greenMade.major(), greenMade.systemIdentifier())
                            .differs(found);
                    if (differs != null) {
                        failed.add("green's standby " + g.name() + " was not stopped or removed: " + sc.dataDir()
                                + " does not hold a copy of green (" + differs + ")");
                        continue;
                    }
                }
                if (io.pgmigrate.execute.Postmaster.runs(sh, sc.binDir(), sc.dataDir(), TIMEOUT)) {
                    CommandResult stop = sh.run(sc.stop(), TIMEOUT);
                    if (!stop.ok()) {
                        failed.add("green's standby " + g.name() + " did not stop (" + stop.lastErrorLine() + "); its"
                                + " data directory " + sc.dataDir() + " was kept");
                        continue;
                    }
                    done.add("stopped green's standby " + g.name());
                }
                remove(sh, sc.dataDir(), "green's standby " + g.name() + "'s data directory ");
                remove(sh, sc.workDir(), "green's standby " + g.name() + "'s work directory ");
            } catch (TransportException e) {
                failed.add("green's standby " + g.name() + " was not removed: " + e.getMessage());
            }
        }
    }

    private void remove(HostShell sh, String dir, String what) {
        if (!sh.exists(dir, TIMEOUT)) {
            return;
        }
        CommandResult r = sh.run(ctx.commands().removeTree(dir), TIMEOUT);
        if (r.ok()) {
            done.add("removed " + what + dir);
        } else {
            failed.add("cannot remove " + what + dir + ": " + r.lastErrorLine());
        }
    }
}
