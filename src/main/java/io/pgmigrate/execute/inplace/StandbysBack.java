package io.pgmigrate.execute.inplace;

import io.pgmigrate.execute.ClusterGuard;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.Postmaster;
import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.pg.ClusterIdentity;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.planner.inplace.StandbyCommands;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The standbys' way back (issue #15), once the old primary serves again: for each standby the plan names, whatever
 * this execution did to it is undone, from wherever it stopped: a server on its new data directory stopped, the copy
 * kept before rsync put back in place of the old data directory rsync changed, its new data directory removed (only
 * while it holds the upgraded primary's cluster or nothing yet), its old server started again, and it is said to
 * serve only once the old primary sees it stream.
 */
final class StandbysBack {
    private static final Duration TIMEOUT = Duration.ofMinutes(11);
    private static final Duration STREAM_PATIENCE = Duration.ofSeconds(60);

    private final ExecutionContext ctx;

    StandbysBack(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    /** What was done, in order; throws {@link StepFailure} naming the standby that could not be brought back. */
    List<String> restore(JournalState state) {
        List<String> done = new ArrayList<>();
        for (String name : standbys()) {
            if (touched(name, state)) {
                try {
                    done.addAll(restore(name, state));
                } catch (TransportException e) {
                    throw new StepFailure("the old primary serves again, but standby " + name + " could not be"
                            + " brought back: " + e.getMessage() + "; run pgmigrate rollback again once its host"
                            + " answers");
                }
            }
        }
        return done;
    }

    /**
     * Past the point of no return, where things stand for the DBA: the standbys this execution stopped and has not
     * changed since (nothing kept, rebuilt or started of them) hold the old cluster at its shutdown checkpoint, every
     * committed write; an empty string when there are none.
     */
    String untouched(JournalState state) {
        List<String> names = new ArrayList<>();
        for (String name : standbys()) {
            Step stop = step(name, StepRole.STOP_STANDBY);
            boolean changed = ctx.plan().steps().stream().anyMatch(s -> name.equals(s.standby()) && state.began(s.id())
                    && (s.role() == StepRole.STANDBY_KEEP || s.role() == StepRole.STANDBY_REBUILD
                    || s.role() == StepRole.START_STANDBY));
            if (stop != null && state.isFinished(stop.id()) && !changed) {
                names.add(name);
            }
        }
        return names.isEmpty() ? "" : " Standby(s) " + String.join(", ", names) + " stopped at the old primary's"
                + " shutdown checkpoint, untouched since: each holds the old cluster with every committed write (to go"
                + " back that way, start one with its old binaries and promote it: pg_ctl promote).";
    }

    private Set<String> standbys() {
        Set<String> names = new LinkedHashSet<>();
        ctx.plan().steps().stream().map(Step::standby).filter(java.util.Objects::nonNull).forEach(names::add);
        return names;
    }

    /** Whether this execution began a step that changed the standby (stopped, kept, rebuilt or started it). */
    private boolean touched(String name, JournalState state) {
        return ctx.plan().steps().stream().anyMatch(s -> name.equals(s.standby()) && state.began(s.id())
                && (s.role() == StepRole.STOP_STANDBY || s.role() == StepRole.STANDBY_KEEP
                || s.role() == StepRole.STANDBY_REBUILD || s.role() == StepRole.START_STANDBY));
    }

    private List<String> restore(String name, JournalState state) {
        StandbyCommands sc = ctx.standbyCommands(name);
        HostShell sh = ctx.standby(name).shell();
        List<String> done = new ArrayList<>();
        if (Postmaster.runs(sh, sc.newBin(), sc.newData(), TIMEOUT)) {
            run(sh, name, sc.stopNew());
            done.add("stopped standby " + name + "'s new server");
        }
        if (sh.exists(sc.keptData(), TIMEOUT)) {
            if (sh.exists(sc.oldData(), TIMEOUT)) {
                run(sh, name, List.of("rm", "-rf", "--", sc.oldData()));
            }
            run(sh, name, List.of("mv", "--", sc.keptData(), sc.oldData()));
            done.add("put standby " + name + "'s old data directory back as it was before rsync");
        }
        Step rebuild = step(name, StepRole.STANDBY_REBUILD);
        if (rebuild != null && state.began(rebuild.id()) && sh.exists(sc.newData(), TIMEOUT)) {
            String foreign = foreign(sh, sc.newData(), state);
            if (foreign != null) {
                throw new StepFailure("the old primary serves again, but standby " + name + ": " + foreign);
            }
            run(sh, name, List.of("rm", "-rf", "--", sc.newData()));
            done.add("removed standby " + name + "'s new data directory " + sc.newData());
        }
        if (!Postmaster.runs(sh, sc.oldBin(), sc.oldData(), TIMEOUT)) {
            run(sh, name, sc.startOld());
            done.add("started standby " + name + " on its old data directory");
        }
        done.add(streams(name));
        run(sh, name, List.of("rm", "-rf", "--", sc.workDir() + "/steps"));
        return done;
    }

    /**
     * Null when the standby's new data directory may go: it holds the upgraded primary's cluster (as journaled after
     * its initdb) or no cluster yet; else why not.
     */
    private String foreign(HostShell sh, String dir, JournalState state) {
        ClusterIdentity found = ClusterGuard.read(sh, dir);
        if (found.major() == 0) {
            return null;
        }
        JournalEvent.CreatedCluster made = state.createdCluster(ctx.commands().newData());
        String differs = made == null ? "no cluster of this execution is journaled"
                : new ClusterIdentity(made.major(), made.systemIdentifier()).differs(found);
        return differs == null ? null : dir + " does not hold the upgraded primary's cluster (" + differs
                + "); nothing there was deleted";
    }

    /** The old primary sees the standby stream again (within a minute); says so, or how far it got. */
    private String streams(String name) {
        String app = ctx.plan().steps().stream().filter(s -> name.equals(s.standby())
                && s.action() instanceof Action.StandbyStreams).map(s -> ((Action.StandbyStreams) s.action())
                .applicationName()).findFirst().orElse(null);
        if (app == null) {
            return "standby " + name + " runs";
        }
        Instant deadline = ctx.clock().instant().plus(STREAM_PATIENCE);
        String last = "not connected";
        while (true) {
            try (SqlSession s = ctx.sql(Action.Endpoint.SOURCE, ctx.source().maintenanceDatabase(),
                    Duration.ofSeconds(30))) {
                var rows = s.query("SELECT state FROM pg_catalog.pg_stat_replication WHERE application_name = ?", app);
                if (!rows.isEmpty() && "streaming".equals(rows.get(0).get("state"))) {
                    return "checked that standby " + name + " streams from the old primary again";
                }
                last = rows.isEmpty() ? "not connected" : rows.get(0).get("state");
            } catch (TransportException e) {
                last = e.getMessage();
            }
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new StepFailure("the old primary serves again, and standby " + name + " runs on its old data"
                        + " directory, but it does not stream from the primary within " + STREAM_PATIENCE.toSeconds()
                        + " s (" + last + "); see its server log");
            }
            io.pgmigrate.execute.ActionRunner.sleep(Duration.ofSeconds(1));
        }
    }

    private Step step(String name, StepRole role) {
        return ctx.plan().steps().stream().filter(s -> name.equals(s.standby()) && s.role() == role).findFirst()
                .orElse(null);
    }

    private static void run(HostShell sh, String name, List<String> argv) {
        CommandResult r = sh.run(argv, TIMEOUT);
        if (!r.ok()) {
            throw new StepFailure("the old primary serves again, but bringing standby " + name + " back failed: '"
                    + String.join(" ", argv) + "': " + r.lastErrorLine());
        }
    }
}
