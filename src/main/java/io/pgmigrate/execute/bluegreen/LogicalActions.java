package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.ActionRunner;
import io.pgmigrate.execute.ExecutionContext;

import io.pgmigrate.execute.StepRunner;
import io.pgmigrate.execute.StrategyActions;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;

import java.util.Optional;

/**
 * The action kinds of the logical (blue/green) plan, for {@link ActionRunner}: each goes to the small class that
 * does it. Statements, waits for a server and commands of either endpoint stay with ActionRunner, which reaches
 * green through {@link ExecutionContext#access}.
 */
final class LogicalActions implements StrategyActions {
    private final ReplicationWaits waits;
    private final LoginFence logins;
    private final LogicalCopies copies;
    private final LiveVerifyStep live;
    private final LogicalChecks checks;
    private final ReplicationStatements statements;
    private final ExecutionContext ctx;

    LogicalActions(ExecutionContext ctx) {
        this.ctx = ctx;
        this.waits = new ReplicationWaits(ctx);
        this.logins = new LoginFence(ctx);
        this.copies = new LogicalCopies(ctx);
        this.live = new LiveVerifyStep(ctx);
        this.checks = new LogicalChecks(ctx, waits);
        this.statements = new ReplicationStatements(ctx);
    }

    /** The step's note when its action is one of the logical plan's kinds; empty for any other. */
    @Override
    public Optional<StepRunner.Outcome> run(Step step) {
        Action a = step.action();
        if (a instanceof Action.CopyFile f) {
            return Optional.of(StepRunner.Outcome.note(copies.file(step, f)));
        }
        if (a instanceof Action.Logins l) {
            return Optional.of(StepRunner.Outcome.note(logins.run(step, l)));
        }
        if (a instanceof Action.WalPosition w) {
            return Optional.of(waits.position(step, w));
        }
        if (a instanceof Action.WaitForReplication w) {
            return Optional.of(StepRunner.Outcome.note(waits.await(step, w)));
        }
        if (a instanceof Action.CopySequences c) {
            return Optional.of(StepRunner.Outcome.note(copies.sequences(step, c)));
        }
        if (a instanceof Action.CopyLargeObjects c) {
            return Optional.of(StepRunner.Outcome.note(copies.largeObjects(step, c)));
        }
        if (a instanceof Action.Verify v && v.stage() == Action.Verify.Stage.LIVE) {
            return Optional.of(StepRunner.Outcome.note(live.run(step, v)));
        }
        if (a instanceof Action.Verify v && v.stage() == Action.Verify.Stage.SNAPSHOT && ctx.target() != null) {
            return Optional.of(StepRunner.Outcome.note(live.hold(step)));
        }
        if (a instanceof Action.Check k) {
            return checks.check(step, k).map(StepRunner.Outcome::note);
        }
        if (a instanceof Action.NothingUnreplicated n) {
            return Optional.of(StepRunner.Outcome.note(checks.nothingUnreplicated(step, n)));
        }
        return statements.run(step).map(StepRunner.Outcome::note);
    }

    /** Releases what a step holds for a later one (the snapshots of the frozen point). */
    @Override
    public void close() {
        live.close();
    }
}
