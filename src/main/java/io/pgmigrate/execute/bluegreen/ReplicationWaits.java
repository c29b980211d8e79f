package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.StepRunner;
import io.pgmigrate.journal.Journal;

import io.pgmigrate.execute.ActionRunner;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;

import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.pg.Lsn;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Step;
import io.pgmigrate.replication.CatchUp;
import io.pgmigrate.replication.CatchUpResult;
import io.pgmigrate.replication.InitialCopy;
import io.pgmigrate.replication.SyncErrors;
import io.pgmigrate.replication.SyncState;
import io.pgmigrate.execute.ProgramLogs;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.replication.SlotLag;
import io.pgmigrate.core.Bytes;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;

/**
 * The logical plan's WAL positions and waits on replication: a position is taken with
 * {@link CatchUp#walInsertLsn} (the insert position: a commit with synchronous_commit = off lies before it, see
 * docs/replication.md) and kept for the waits after it, in memory and in the journal's typed step-finished event (for
 * a resumed run). Waits poll within the step's timeout and print a progress line every {@link #PROGRESS} (the initial
 * copy's as {@link CopyProgress} says).
 */
final class ReplicationWaits {
    static final String POSITION_NOTE = "WAL insert position ";
    private static final Duration POLL = Duration.ofMillis(200);
    /** While writes are frozen every poll interval is outage: the confirmation is looked for more often. */
    private static final Duration FROZEN_POLL = Duration.ofMillis(50);
    private static final Duration PROGRESS = Duration.ofSeconds(10);
    /**
     * Table synchronisation errors a wait on the initial copy sits through while no table becomes ready (a worker
     * retries every wal_retrieve_retry_interval, 5 s by default): one may be passing (a lock, a restart); three are not.
     */
    private static final long SYNC_ERRORS_TOLERATED = 3;

    private final ExecutionContext ctx;
    private final Map<String, Lsn> positions = new HashMap<>();

    ReplicationWaits(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    StepRunner.Outcome position(Step step, Action.WalPosition w) {
        try (SqlSession s = ctx.sql(w.endpoint(), ctx.access(w.endpoint()).maintenanceDatabase(), step.timeout())) {
            Lsn lsn = CatchUp.walInsertLsn(s);
            positions.put(step.id(), lsn);
            return new StepRunner.Outcome(POSITION_NOTE + lsn, lsn);
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    String await(Step step, Action.WaitForReplication w) {
        try {
            return switch (w.condition()) {
                case TABLES_READY -> tablesReady(step, w);
                case LAG_BELOW -> lagBelow(step, w);
                case CONFIRMED_POSITION -> confirmed(step, w);
            };
        } catch (PgMigrateException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    /** On the subscriber (the other cluster than the publisher): every table of the subscription is ready. */
    private String tablesReady(Step step, Action.WaitForReplication w) {
        Endpoint subscriber = w.publisher() == Endpoint.SOURCE ? Endpoint.TARGET : Endpoint.SOURCE;
        long deadline = System.nanoTime() + step.timeout().toNanos();
        CopyProgress watch = new CopyProgress(w.database(), ctx.clock(), this::progress);
        try (SqlSession s = ctx.sql(subscriber, w.database(), step.timeout())) {
            // errors counted since a table last became ready: a passing error among tables that keep finishing
            // never adds up to a failure, a table refused again and again does once nothing else progresses
            OptionalLong errorsBefore = SyncErrors.count(s, w.subscription());
            long readyBefore = -1;
            while (true) {
                InitialCopy now = InitialCopy.read(s, w.subscription());
                if (now.allReady()) {
                    watch.done(now, () -> InitialCopy.readyTablesSize(s, w.subscription()));
                    return "initial copy done: " + now.summary();
                }
                long ready = now.countByState().getOrDefault(SyncState.READY, 0L);
                if (errorsBefore.isPresent() && ready > readyBefore) {
                    errorsBefore = SyncErrors.count(s, w.subscription());
                    readyBefore = ready;
                }
                if (errorsBefore.isPresent()) {
                    long errors = SyncErrors.count(s, w.subscription()).orElse(0) - errorsBefore.getAsLong();
                    if (errors >= SYNC_ERRORS_TOLERATED) {
                        throw new StepFailure.Persistent(step.id() + ": the initial copy keeps failing on "
                                + side(subscriber) + ": " + errors + " table synchronisation error(s) while no table"
                                + " became ready; not ready: "
                                + notReady(now) + subscriberLog(subscriber) + ". The subscriber refuses what it is"
                                + " sent (a constraint, a column or a type it has and the other side lacks); waiting"
                                + " would not end it");
                    }
                }
                if (System.nanoTime() >= deadline) {
                    throw new StepFailure(step.id() + ": the initial copy did not finish within "
                            + step.timeout().toSeconds() + " s: " + now.summary());
                }
                watch.reading(now, () -> InitialCopy.readyTablesSize(s, w.subscription()));
                ActionRunner.sleep(POLL);
            }
        }
    }

    private static String notReady(InitialCopy now) {
        List<String> names = now.tables().stream().filter(t -> t.state() != SyncState.READY)
                .map(t -> SqlIdentifiers.qualified(t.schema(), t.table())).toList();
        return String.join(", ", names.subList(0, Math.min(10, names.size())))
                + (names.size() > 10 ? " and " + (names.size() - 10) + " more" : "");
    }

    /** "; its log FILE says: LINE" from the subscriber's server log where the plan says it is (green), else "". */
    private String subscriberLog(Endpoint subscriber) {
        if (subscriber != Endpoint.TARGET) {
            return "";
        }
        return ctx.plan().steps().stream()
                .filter(st -> st.role() == StepRole.START_NEW_CLUSTER && st.action() instanceof Action.RunCommand)
                .map(st -> Map.entry(st.host(), ((Action.RunCommand) st.action()).logs()))
                .filter(e -> e.getValue() != null).findFirst()
                .map(e -> ProgramLogs.show(ctx, ctx.shell(e.getKey()), e.getValue())).orElse("");
    }

    private static String side(Endpoint e) {
        return e == Endpoint.SOURCE ? "blue" : "green";
    }

    /** On the publisher: the slot's confirmed position is less than maxLagBytes behind the current WAL position. */
    private String lagBelow(Step step, Action.WaitForReplication w) {
        long deadline = System.nanoTime() + step.timeout().toNanos();
        long nextLine = System.nanoTime();
        try (SqlSession s = ctx.sql(w.publisher(), w.database(), step.timeout())) {
            while (true) {
                SlotLag lag = CatchUp.lag(s, w.slot());
                String seconds = lag.flushLag().map(d -> String.format(java.util.Locale.ROOT, ", %.1f s flush lag",
                        d.toMillis() / 1000.0)).orElse("");
                if (lag.confirmedFlush() != null && lag.bytesBehind() < w.maxLagBytes()) {
                    return "slot " + w.slot() + " is " + Bytes.human(lag.bytesBehind()) + " behind" + seconds
                            + " (below " + Bytes.human(w.maxLagBytes()) + ")";
                }
                String behind = "slot " + w.slot() + " is " + (lag.confirmedFlush() == null ? "not confirming yet"
                        : Bytes.human(lag.bytesBehind()) + " behind" + seconds)
                        + (lag.active() ? "" : " (its subscription is not connected)");
                if (System.nanoTime() >= deadline) {
                    throw new StepFailure(step.id() + ": not caught up within " + step.timeout().toSeconds() + " s: "
                            + behind);
                }
                if (System.nanoTime() >= nextLine) {
                    progress(behind);
                    nextLine = System.nanoTime() + PROGRESS.toNanos();
                }
                ActionRunner.sleep(POLL);
            }
        }
    }

    /** On the publisher: the slot has confirmed the position taken by the positionStep. */
    private String confirmed(Step step, Action.WaitForReplication w) {
        Lsn target = positionOf(step, w.positionStep());
        long deadline = System.nanoTime() + step.timeout().toNanos();
        try (SqlSession s = ctx.sql(w.publisher(), w.database(), step.timeout())) {
            while (true) {
                Duration slice = Duration.ofNanos(Math.max(0, Math.min(PROGRESS.toNanos(), deadline - System.nanoTime())));
                CatchUpResult r = CatchUp.waitUntilConfirmed(s, w.slot(), target, slice,
                        step.inOutage() ? FROZEN_POLL : POLL);
                if (r.reached()) {
                    return "slot " + w.slot() + " confirmed " + target + " (" + w.positionStep() + ")";
                }
                String behind = "slot " + w.slot() + " is " + Bytes.human(r.bytesBehind()) + " short of " + target;
                if (System.nanoTime() >= deadline) {
                    throw new StepFailure(step.id() + ": not caught up within " + step.timeout().toSeconds() + " s: "
                            + behind);
                }
                progress(behind);
            }
        }
    }

    /** The position a WalPosition step took, in this run or (from the journal) in an earlier one. */
    Lsn positionOf(Step step, String positionStep) {
        Lsn kept = positions.get(positionStep);
        if (kept != null) {
            return kept;
        }
        Lsn lsn = Journal.state(ctx.files().journal()).walPosition(positionStep);
        if (lsn == null) {
            throw new StepFailure(step.id() + ": no WAL position was taken by " + positionStep + " (the journal has"
                    + " none); it must run first");
        }
        positions.put(positionStep, lsn);
        return lsn;
    }

    private void progress(String line) {
        ctx.out().println("      | " + line);
        ctx.out().flush();
    }
}
