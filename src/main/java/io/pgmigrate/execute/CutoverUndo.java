package io.pgmigrate.execute;

import io.pgmigrate.execute.JournalEntry.Event;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Action.RunSql;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Abandons a blue/green cutover (phase {@code cutover}) or its reverse (phase {@code rollback}) that has not switched
 * clients yet: every begun step's effect is undone from the plan's own statements, and the steps are journaled as
 * undone, so that the next attempt runs the whole phase again. The order keeps clients away from the wrong side:
 * <ol>
 *   <li>clients are pointed back (a switch that began: its result cannot be known) and the fence a reverse cutover
 *   lifted is put back;</li>
 *   <li>writes are unfrozen (pgbouncer RESUME, or the blocked logins given back) — the outage ends here;</li>
 *   <li>the reverse direction's subscriptions and publications are dropped, then the disabled ones enabled again
 *   (never both at once: without {@code origin = none} the two would send each change back and forth).</li>
 * </ol>
 * Each undo is idempotent, so an abandonment that failed half-way is simply done again: only a complete one journals
 * the phase's steps as undone. Says what it did.
 */
final class CutoverUndo {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** pgbouncer's answer to RESUME when nothing is paused. */
    private static final java.util.regex.Pattern NOT_PAUSED = java.util.regex.Pattern.compile(
            "pgbouncer RESUME failed.*(not paused|not suspended)", java.util.regex.Pattern.CASE_INSENSITIVE);

    private final ExecutionContext ctx;
    private final ActionRunner runner;
    private final StepAttempt attempt;

    CutoverUndo(ExecutionContext ctx, ActionRunner runner, StepAttempt attempt) {
        this.ctx = ctx;
        this.runner = runner;
        this.attempt = attempt;
    }

    /** Whether the phase began and has not switched clients (nor been undone): it must be abandoned or finished. */
    static boolean open(Phase phase, JournalState state) {
        Step freeze = phase.steps().stream().filter(s -> s.id().endsWith(".freeze")).findFirst().orElse(null);
        return freeze != null && state.began(freeze.id()) && !state.isFinished(switchOf(phase).id());
    }

    static Step switchOf(Phase phase) {
        return phase.steps().stream().filter(s -> s.id().endsWith(".switch-clients")).findFirst().orElseThrow();
    }

    /** What was undone, and the failures (none: the phase counts as never begun now). */
    UndoOutcome undo(Phase phase, Phase other, JournalState state) {
        List<Step> begun = phase.steps().stream().filter(s -> state.began(s.id())).toList();
        List<Step> clientFacing = new ArrayList<>();
        Step freeze = null;
        List<Step> rest = new ArrayList<>();
        for (Step s : begun) {
            if (s.id().endsWith(".freeze")) {
                freeze = s;
            } else if (s.id().endsWith(".switch-clients") || s.action() instanceof Action.Logins) {
                clientFacing.add(0, s);
            } else {
                rest.add(0, s);
            }
        }
        List<Step> order = new ArrayList<>(clientFacing);
        if (freeze != null) {
            order.add(freeze);
        }
        order.addAll(rest);
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Step s : order) {
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
            // only a complete undo makes the phase count as never begun; otherwise the next run undoes it again
            // (every undo is idempotent)
            begun.forEach(s -> attempt.log(Event.STEP_UNDONE, s.id(), null, "undone"));
        }
        return new UndoOutcome(done, failed);
    }

    private static boolean enables(Step u) {
        return u.action() instanceof RunSql q && q.sql().toUpperCase(java.util.Locale.ROOT).endsWith(" ENABLE");
    }

    /** The step that undoes one step of the phase, from the plan's statements; empty when it changed nothing. */
    private Optional<Step> undoOf(Step s, Phase other) {
        Action a = s.action();
        if (s.id().endsWith(".switch-clients")) {
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
        if (!(a instanceof RunSql q)) {
            return Optional.empty();
        }
        if (q.endpoint() == Endpoint.PGBOUNCER) {
            return q.sql().strip().equalsIgnoreCase("PAUSE")
                    ? Optional.of(like(s, "Resume clients in pgbouncer", new RunSql(Endpoint.PGBOUNCER, "pgbouncer",
                    "RESUME"))) : Optional.empty();
        }
        String sql = q.sql().strip();
        String side = q.endpoint() == Endpoint.SOURCE ? " on blue" : " on green";
        for (String kind : List.of("SUBSCRIPTION", "PUBLICATION")) {
            String create = "CREATE " + kind + " ";
            if (sql.regionMatches(true, 0, create, 0, create.length())) {
                return LogicalChecks.quotedName(sql.substring(create.length())).map(n -> like(s, "Drop "
                        + kind.toLowerCase() + " " + SqlIdentifiers.quote(n) + side, new RunSql(q.endpoint(),
                        q.database(), "DROP " + kind + " IF EXISTS " + SqlIdentifiers.quote(n))));
            }
        }
        String alter = "ALTER SUBSCRIPTION ";
        if (sql.regionMatches(true, 0, alter, 0, alter.length()) && sql.toUpperCase().endsWith(" DISABLE")) {
            return LogicalChecks.quotedName(sql.substring(alter.length())).map(n -> like(s, "Enable subscription "
                    + SqlIdentifiers.quote(n) + side + " again", new RunSql(q.endpoint(), q.database(),
                    "ALTER SUBSCRIPTION " + SqlIdentifiers.quote(n) + " ENABLE")));
        }
        return Optional.empty();
    }

    private static Step like(Step s, String title, Action action) {
        return like(s, s.host(), title, action);
    }

    private static Step like(Step s, io.pgmigrate.plan.HostRole host, String title, Action action) {
        return new Step(s.id() + ".undo", title, "Undoes " + s.id() + ".", host, action, Duration.ofSeconds(1),
                TIMEOUT, true, null, true, Marker.NONE);
    }
}
