package io.pgmigrate.app;

import io.pgmigrate.execute.ExecutionResult;
import io.pgmigrate.journal.JournalState;

import io.pgmigrate.journal.Journal;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.transport.TransportOptions;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code pgmigrate rollback} and {@code pgmigrate cleanup}: what follows an execution, on the same plan,
 * journal and lock. Rollback returns to the running old cluster from wherever the execution stopped as
 * long as the point of no return was not crossed; cleanup deletes the old cluster once the execution has
 * completed and the new cluster serves. Both refuse, changing nothing, when that does not hold.
 */
public final class RecoveryService {
    /**
     * @param breakLock        take the execution lock from a holder the DBA knows is gone for good ({@code --break-lock})
     * @param discardNewWrites rollback only: go back also past the point of no return of an in-place --copy/--clone
     *                         upgrade, losing what the new cluster accepted ({@code --discard-new-writes})
     */
    public record Request(Path planFile, Path inventory, TransportOptions transport, boolean breakLock,
                          boolean discardNewWrites) {
        public Request(Path planFile, Path inventory, TransportOptions transport, boolean breakLock) {
            this(planFile, inventory, transport, breakLock, false);
        }

        public Request(Path planFile, Path inventory, TransportOptions transport) {
            this(planFile, inventory, transport, false);
        }
    }

    public record Outcome(ExitCode exitCode, String summary) {
    }

    public Outcome rollback(Request request, PrintWriter out) {
        try (OpenedExecution ex = open(request, out)) {
            JournalState state = ex.state();
            if (request.discardNewWrites() && state.cleanedUp()) {
                return new Outcome(ExitCode.STEP_FAILED, "cannot roll back: plan " + ex.plan.name() + " was cleaned"
                        + " up, which deleted the old cluster; the way back is a backup. Nothing was changed");
            }
            if (!state.open() || state.began().isEmpty() && state.rollbackOpen() == null) {
                return new Outcome(ExitCode.SUCCESS, "nothing to roll back: no step of plan " + ex.plan.name()
                        + " has run" + (state.rolledBack() ? " since the last rollback" : state.cleanedUp()
                        ? " since it was cleaned up" : "") + "; the old cluster is as it was");
            }
            if (request.discardNewWrites() && ex.plan.strategy() != Strategy.PG_UPGRADE) {
                return new Outcome(ExitCode.BAD_INPUT, "--discard-new-writes is for in-place --copy/--clone plans; a"
                        + " blue/green rollback loses no write. Nothing was changed");
            }
            try (Journal journal = Journal.open(ex.files.journal())) {
                ExecutionResult r = ex.execution(ex.context(ex.savedFacts(), out, state.execution()), journal)
                        .rollback(request.discardNewWrites());
                ex.releaseIfOver();
                return new Outcome(r.exitCode(), r.summary());
            }
        }
    }

    public Outcome cleanup(Request request, PrintWriter out) {
        try (OpenedExecution ex = open(request, out)) {
            JournalState state = ex.state();
            if (!state.any()) {
                return new Outcome(ExitCode.STEP_FAILED, "cannot clean up: plan " + ex.plan.name() + " has not been"
                        + " executed; the old cluster is the only one. Nothing was changed");
            }
            try (Journal journal = Journal.open(ex.files.journal())) {
                ExecutionResult r = ex.execution(ex.context(ex.savedFacts(), out, state.execution()), journal)
                        .cleanup();
                ex.releaseIfOver();
                return new Outcome(r.exitCode(), r.summary());
            }
        }
    }

    private static OpenedExecution open(Request request, PrintWriter out) {
        return OpenedExecution.open(request.planFile(), request.inventory(), request.transport(), plan -> { },
                request.breakLock() ? OpenedExecution.Locking.BREAK : OpenedExecution.Locking.TAKE, out);
    }
}
