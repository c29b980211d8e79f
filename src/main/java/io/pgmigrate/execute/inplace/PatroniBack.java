package io.pgmigrate.execute.inplace;

import io.pgmigrate.execute.ActionRunner;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.PatroniNode;
import io.pgmigrate.transport.PatroniRole;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Patroni's way back (issue #15), once the old primary and its standbys serve again: every patroni.yml this execution
 * edited put back as it was, Patroni started again where this execution stopped it (the leader's first, which takes up
 * the running old primary again), and the pause turned off (or left on, when the cluster was found paused). Everything
 * it needs is in the plan's Patroni steps: their commands, files and REST endpoints.
 */
final class PatroniBack {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private final ExecutionContext ctx;

    PatroniBack(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    List<String> restore(JournalState state) {
        List<String> done = new ArrayList<>();
        for (Step s : began(StepRole.PATRONI_CONFIG, state)) {
            Action.PatroniConfig c = (Action.PatroniConfig) s.action();
            HostShell sh = ctx.shell(s);
            if (sh.exists(c.kept(), COMMAND_TIMEOUT)) {
                run(sh, List.of("mv", "-f", "--", c.kept(), c.path()), "putting " + c.path() + " back");
                done.add("put " + c.path() + " back as it was on " + sh.describe());
            }
        }
        List<Step> stops = new ArrayList<>(began(StepRole.PATRONI_STOP, state));
        stops.sort(Comparator.comparing(s -> s.host() == HostRole.STANDBY)); // the leader's first
        for (Step s : stops) {
            Action.PatroniStop p = (Action.PatroniStop) s.action();
            run(ctx.shell(s), p.start(), "starting Patroni on " + p.member());
            awaitRunning(p, s.host() != HostRole.STANDBY);
            done.add("started Patroni on " + p.member() + "; it " + (s.host() != HostRole.STANDBY
                    ? "leads the old cluster again" : "runs its old standby again"));
        }
        List<Step> pauses = began(StepRole.PATRONI_PAUSE, state);
        if (!pauses.isEmpty()) {
            boolean foundPaused = ctx.plan().steps().stream().anyMatch(s -> s.role() != StepRole.PATRONI_PAUSE
                    && s.action() instanceof Action.PatroniPause p && p.pause());
            if (!foundPaused) {
                done.add(resume(((Action.PatroniPause) pauses.get(0).action()).rest()));
            } else {
                done.add("left Patroni paused, as it was found");
            }
        }
        return done;
    }

    /**
     * Past the point of no return, where Patroni stands for the DBA: the members whose Patroni this execution stopped
     * and has not started again; an empty string when there are none.
     */
    String stillStopped(JournalState state) {
        List<String> members = new ArrayList<>();
        List<String> start = List.of();
        for (Step s : began(StepRole.PATRONI_STOP, state)) {
            Action.PatroniStop p = (Action.PatroniStop) s.action();
            start = p.start();
            Step started = ctx.plan().steps().stream().filter(t -> s.host() == HostRole.STANDBY
                    ? t.role() == StepRole.START_STANDBY && p.member() != null && s.standby().equals(t.standby())
                    : t.role() == StepRole.START_NEW_CLUSTER).findFirst().orElse(null);
            if (started == null || !state.isFinished(started.id())) {
                members.add(p.member());
            }
        }
        return members.isEmpty() ? "" : " Patroni is stopped on " + String.join(", ", members) + " (failover is off;"
                + " each patroni.yml edited so far names the new version, the old one kept beside it as"
                + " .pgmigrate-old): once the new cluster serves, start Patroni there, the leader's first ("
                + String.join(" ", start) + "), or let execute --retry-step do it.";
    }

    private List<Step> began(StepRole role, JournalState state) {
        return ctx.plan().steps().stream().filter(s -> s.role() == role && state.began(s.id())).toList();
    }

    /** Waits until the member's Patroni answers with its PostgreSQL running (and, for the leader, leading). */
    private void awaitRunning(Action.PatroniStop p, boolean leader) {
        Instant deadline = ctx.clock().instant().plus(PATIENCE);
        String last = "not answering";
        while (true) {
            try {
                PatroniNode n = io.pgmigrate.execute.PatroniSteps.rest(p.rest()).node();
                if ("running".equals(n.state()) && (!leader || n.role() == PatroniRole.LEADER)) {
                    return;
                }
                last = "role " + n.role() + ", state " + n.state();
            } catch (TransportException e) {
                last = e.getMessage();
            }
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new StepFailure("the old cluster serves again, but Patroni on " + p.member() + " does not "
                        + (leader ? "lead it" : "run") + " within " + PATIENCE.toSeconds() + " s (" + last + "); see"
                        + " Patroni's log there, then run pgmigrate rollback again");
            }
            ActionRunner.sleep(Duration.ofMillis(500));
        }
    }

    /** Every member reports the pause off (all must answer: each was started and seen running just before). */
    private String resume(List<String> endpoints) {
        try {
            new io.pgmigrate.execute.PatroniSteps(ctx).setPause(endpoints, false, true, PATIENCE);
        } catch (StepFailure e) {
            throw new StepFailure("the old cluster serves again under Patroni, but Patroni could not be resumed ("
                    + e.getMessage() + "); resume it: patronictl resume --wait");
        }
        return "resumed Patroni (not paused any more): it fails over again";
    }

    private static void run(HostShell sh, List<String> argv, String what) {
        CommandResult r = sh.run(argv, COMMAND_TIMEOUT);
        if (!r.ok()) {
            throw new StepFailure("the old cluster serves again, but " + what + " on " + sh.describe() + " failed: '"
                    + String.join(" ", argv) + "': " + r.lastErrorLine());
        }
    }
}
