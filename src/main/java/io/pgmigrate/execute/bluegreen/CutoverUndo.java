package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.ActionRunner;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepAttempt;
import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.execute.StepRunner;
import io.pgmigrate.execute.UndoOutcome;
import io.pgmigrate.execute.UndoSteps;
import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.journal.JournalState;

import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Abandons a blue/green cutover (phase {@code cutover}) or its reverse (phase {@code rollback}) that has not switched
 * clients yet: every begun step's effect is undone from the plan's own statements, and the steps are journaled as
 * undone, so that the next attempt runs the whole phase again. The order keeps clients away from the wrong side:
 * <ol>
 *   <li>clients are pointed back (a switch that began: its result cannot be known; a switch still running from a killed
 *   run is waited for first);</li>
 *   <li>when the switch began, clients may have written on the side they were switched to: every reverse subscription
 *   the phase created confirms that side's WAL insert position before anything else (if that cannot be proven, the
 *   undo stops here, clients paused, and the next run does it again);</li>
 *   <li>the logins the fence blocked are given back, and the fence a reverse cutover lifted is put back;</li>
 *   <li>writes are unfrozen (pgbouncer RESUME, or the blocked logins given back) — the outage ends here;</li>
 *   <li>the reverse direction's subscriptions and publications are dropped, then the disabled ones enabled again
 *   (never both at once: without {@code origin = none} the two would send each change back and forth).</li>
 * </ol>
 * Each undo is idempotent, so an abandonment that failed half-way is simply done again: only a complete one journals
 * the phase's steps as undone, and forgets on the host the runs of the programs they started (the switch), so that the
 * next attempt runs them afresh instead of attaching to those runs. Says what it did.
 */
final class CutoverUndo {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** pgbouncer's answer to RESUME when nothing is paused. */
    private static final java.util.regex.Pattern NOT_PAUSED = java.util.regex.Pattern.compile(
            "pgbouncer RESUME failed.*(not paused|not suspended)", java.util.regex.Pattern.CASE_INSENSITIVE);

    private final ExecutionContext ctx;
    private final StepRunner runner;
    private final StepAttempt attempt;

    CutoverUndo(ExecutionContext ctx, StepRunner runner, StepAttempt attempt) {
        this.ctx = ctx;
        this.runner = runner;
        this.attempt = attempt;
    }

    /** Whether the phase began and has not switched clients (nor been undone): it must be abandoned or finished. */
    static boolean open(Phase phase, JournalState state) {
        Step freeze = phase.steps().stream().filter(s -> s.role() == StepRole.FREEZE_WRITES).findFirst().orElse(null);
        return freeze != null && state.began(freeze.id()) && !state.isFinished(switchOf(phase).id());
    }

    static Step switchOf(Phase phase) {
        return phase.steps().stream().filter(s -> s.role() == StepRole.SWITCH_CLIENTS).findFirst().orElseThrow();
    }

    /** What was undone, and the failures (none: the phase counts as never begun now). */
    UndoOutcome undo(Phase phase, Phase other, JournalState state) {
        List<Step> begun = phase.steps().stream().filter(s -> state.began(s.id())).toList();
        List<Step> switches = new ArrayList<>();
        List<Step> clientFacing = new ArrayList<>();
        Step freeze = null;
        List<Step> rest = new ArrayList<>();
        for (Step s : begun) {
            if (s.role() == StepRole.FREEZE_WRITES) {
                freeze = s;
            } else if (s.role() == StepRole.SWITCH_CLIENTS) {
                switches.add(0, s);
            } else if (s.action() instanceof Action.Logins) {
                clientFacing.add(0, s);
            } else {
                rest.add(0, s);
            }
        }
        List<Step> order = new ArrayList<>(switches);
        order.addAll(clientFacing);
        if (freeze != null) {
            order.add(freeze);
        }
        order.addAll(rest);
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        // a program a begun step started (the switch) may still run from the killed attempt: pointing clients back
        // while it runs could let it move them afterwards; it ends (or is stopped at its timeout) first
        begun.stream().filter(s -> s.action() instanceof Action.RunCommand).forEach(this::settle);
        boolean switched = begun.stream().anyMatch(s -> s.role() == StepRole.SWITCH_CLIENTS);
        boolean levelled = false;
        for (Step s : order) {
            if (switched && !levelled && s.role() != StepRole.SWITCH_CLIENTS) {
                // clients may have written on the side they were switched to: before they resume on this side, the
                // reverse direction must have brought those writes here; if it cannot be proven, they stay paused
                levelled = true;
                if (!bringBack(phase, state, done, failed)) {
                    failed.add("give logins back and resume clients (not done: the writes they may have made after"
                            + " the switch are not proven to be back on the side they return to; do it once they are)");
                    break;
                }
            }
            Optional<Step> undo = undoOf(s, other);
            if (undo.isEmpty()) {
                continue;
            }
            Step u = undo.get();
            if (!failed.isEmpty() && enables(u)) {
                // the reverse direction may still exist: both enabled at once would send each change back and forth
                failed.add(u.title() + " (not done while the undo above is not complete)");
                continue;
            }
            try {
                ctx.out().printf("  undo   %s: %s%n", s.id(), u.title());
                ctx.out().flush();
                runner.run(u);
                done.add(u.title());
            } catch (StepFailure e) {
                if (!NOT_PAUSED.matcher(e.getMessage()).find()) { // RESUME again: the clients run already
                    failed.add(u.title() + " (" + e.getMessage() + ")");
                }
            }
        }
        if (failed.isEmpty()) {
            // the next attempt runs the programs begun steps started on the host (the switch) afresh, rather than
            // attaching to the run of this one
            begun.stream().filter(s -> s.action() instanceof Action.RunCommand).forEach(s -> forget(s, failed));
        }
        if (failed.isEmpty()) {
            // only a complete undo makes the phase count as never begun; otherwise the next run undoes it again
            // (every undo is idempotent)
            begun.forEach(s -> attempt.log(new JournalEvent.StepUndone(ctx.clock().instant(), s.id())));
        }
        return new UndoOutcome(done, failed);
    }

    /**
     * After a switch that began, before clients resume where they came from: every subscription the phase created
     * that carries changes back (the reverse direction) has confirmed the WAL insert position of the side clients were
     * switched to, taken now that they are pointed back and paused. True when proven (or there is none to wait for).
     */
    private boolean bringBack(Phase phase, JournalState state, List<String> done, List<String> failed) {
        boolean ok = true;
        for (Step s : phase.steps()) {
            if (!(s.action() instanceof Action.CreateSubscription c) || !state.began(s.id())) {
                continue;
            }
            Endpoint publisher = c.endpoint() == Endpoint.SOURCE ? Endpoint.TARGET : Endpoint.SOURCE;
            Step position = UndoSteps.named(s, s.host(), "undo-position", "Take the WAL position of the side clients"
                    + " were switched to", new Action.WalPosition(publisher));
            Step wait = like(s, "Wait until " + SqlIdentifiers.quote(c.name()) + " has brought every write back",
                    new Action.WaitForReplication(Action.WaitForReplication.Condition.CONFIRMED_POSITION, publisher,
                            c.database(), c.name(), c.slot(), 0, position.id()));
            try {
                ctx.out().printf("  undo   %s: %s%n", s.id(), wait.title());
                ctx.out().flush();
                runner.run(position);
                runner.run(wait);
                done.add(wait.title().substring(0, 1).toLowerCase() + wait.title().substring(1));
            } catch (StepFailure | TransportException e) {
                failed.add(wait.title() + " (" + e.getMessage() + ")");
                ok = false;
            }
        }
        return ok;
    }

    /** Waits, within the step's timeout, for a run of its program that is still going, and stops it after that. */
    private void settle(Step s) {
        try {
            io.pgmigrate.transport.DetachedCommand d = ctx.detached(s);
            if (d.status().state() != io.pgmigrate.transport.DetachedCommand.State.RUNNING) {
                return;
            }
            ctx.out().printf("  undo   %s: its program from the earlier run still runs; waiting for it (at most %d s)%n",
                    s.id(), s.timeout().toSeconds());
            ctx.out().flush();
            if (d.await(s.timeout(), io.pgmigrate.transport.OutputListener.NONE).state()
                    == io.pgmigrate.transport.DetachedCommand.State.RUNNING) {
                d.stop();
            }
        } catch (TransportException e) {
            ctx.out().println("  undo   " + s.id() + ": cannot ask the host about its program (" + e.getMessage() + ")");
        }
    }

    /** Forgets the step's run on the host; one that still runs cannot be, and the undo is not complete then. */
    private void forget(Step s, List<String> failed) {
        try {
            ctx.detached(s).forget();
        } catch (TransportException e) {
            failed.add("forget the run of " + s.id() + " on the host, so that the next attempt runs it again ("
                    + e.getMessage() + ")");
        }
    }

    private static boolean enables(Step u) {
        return u.action() instanceof Action.AlterSubscription a && a.enable();
    }

    /** The step that undoes one step of the phase, from the plan's statements; empty when it changed nothing. */
    private Optional<Step> undoOf(Step s, Phase other) {
        Action a = s.action();
        if (s.role() == StepRole.SWITCH_CLIENTS) {
            Step back = switchOf(other);
            return back.action() instanceof Action.RunCommand
                    ? Optional.of(like(s, back.host(), "Point clients back (" + back.id() + ")", back.action()))
                    : Optional.empty();
        }
        if (a instanceof Action.Logins l) {
            Action.Logins.Change opposite = l.change() == Action.Logins.Change.BLOCK
                    ? Action.Logins.Change.RESTORE : Action.Logins.Change.BLOCK;
            String side = l.endpoint() == Endpoint.SOURCE ? "blue" : "green";
            return Optional.of(like(s, (opposite == Action.Logins.Change.RESTORE ? "Give back the logins blocked on "
                    : "Block the application logins on ") + side + " again", new Action.Logins(l.endpoint(), opposite)));
        }
        String side = endpointName(a);
        if (a instanceof Action.Pgbouncer b && b.command() == Action.Pgbouncer.Command.PAUSE) {
            return Optional.of(like(s, "Resume clients in pgbouncer", new Action.Pgbouncer(Action.Pgbouncer.Command.RESUME)));
        }
        if (a instanceof Action.CreateSubscription c) {
            return Optional.of(like(s, "Drop subscription " + SqlIdentifiers.quote(c.name()) + side,
                    new Action.DropSubscription(c.endpoint(), c.database(), c.name())));
        }
        if (a instanceof Action.CreatePublication c) {
            return Optional.of(like(s, "Drop publication " + SqlIdentifiers.quote(c.name()) + side,
                    new Action.DropPublication(c.endpoint(), c.database(), c.name())));
        }
        if (a instanceof Action.AlterSubscription c && !c.enable()) {
            return Optional.of(like(s, "Enable subscription " + SqlIdentifiers.quote(c.name()) + side + " again",
                    new Action.AlterSubscription(c.endpoint(), c.database(), c.name(), true)));
        }
        return Optional.empty();
    }

    private static String endpointName(Action a) {
        Endpoint e = a instanceof Action.CreateSubscription c ? c.endpoint()
                : a instanceof Action.CreatePublication c ? c.endpoint()
                : a instanceof Action.AlterSubscription c ? c.endpoint() : null;
        return e == null ? "" : e == Endpoint.SOURCE ? " on blue" : " on green";
    }

    private static Step like(Step s, String title, Action action) {
        return UndoSteps.like(s, title, action);
    }

    private static Step like(Step s, io.pgmigrate.plan.HostRole host, String title, Action action) {
        return UndoSteps.like(s, host, title, action);
    }
}
