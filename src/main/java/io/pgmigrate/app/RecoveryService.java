package io.pgmigrate.app;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.execute.Execution;
import io.pgmigrate.execute.Executor;
import io.pgmigrate.execute.Journal;
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
    public record Request(Path planFile, Path inventory, TransportOptions transport) {
    }

    public record Outcome(ExitCode exitCode, String summary) {
    }

    public Outcome rollback(Request request, PrintWriter out) {
        try (OpenedExecution ex = open(request)) {
            if (ex.state().began().isEmpty() && ex.plan.strategy() != Strategy.LOGICAL) {
                return new Outcome(ExitCode.SUCCESS, "nothing to roll back: no step of plan " + ex.plan.name()
                        + " has run" + (ex.state().rolledBack() ? " since the last rollback" : "")
                        + "; the old cluster is as it was");
            }
            try (Journal journal = Journal.open(ex.files.journal())) {
                Executor.Result r = Execution.of(ex.context(ex.savedFacts(), out), journal).rollback();
                return new Outcome(r.exitCode(), r.summary());
            }
        }
    }

    public Outcome cleanup(Request request, PrintWriter out) {
        try (OpenedExecution ex = open(request)) {
            if (ex.state().entries() == 0) {
                return new Outcome(ExitCode.STEP_FAILED, "cannot clean up: plan " + ex.plan.name() + " has not been"
                        + " executed; the old cluster is the only one. Nothing was changed");
            }
            try (Journal journal = Journal.open(ex.files.journal())) {
                Executor.Result r = Execution.of(ex.context(ex.savedFacts(), out), journal).cleanup();
                return new Outcome(r.exitCode(), r.summary());
            }
        }
    }

    private static OpenedExecution open(Request request) {
        return OpenedExecution.open(request.planFile(), request.inventory(), request.transport(), plan -> { });
    }
}
