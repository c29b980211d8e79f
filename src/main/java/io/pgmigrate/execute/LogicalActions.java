package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;

import java.util.Optional;

/**
 * The action kinds of the logical (blue/green) plan, for {@link ActionRunner}: each goes to the small class that
 * does it. Statements, waits for a server and commands of either endpoint stay with ActionRunner, which reaches
 * green through {@link ExecutionContext#access}.
 */
final class LogicalActions {
    private final ReplicationWaits waits;
    private final LoginFence logins;
    private final LogicalCopies copies;
    private final LiveVerifyStep live;
    private final LogicalChecks checks;
    private final ExecutionContext ctx;

    LogicalActions(ExecutionContext ctx) {
        this.ctx = ctx;
        this.waits = new ReplicationWaits(ctx);
        this.logins = new LoginFence(ctx);
        this.copies = new LogicalCopies(ctx);
        this.live = new LiveVerifyStep(ctx);
        this.checks = new LogicalChecks(ctx);
    }

    /** The step's note when its action is one of the logical plan's kinds; empty for any other. */
    Optional<String> run(Step step) {
        Action a = step.action();
        if (a instanceof Action.CopyFile f) {
            return Optional.of(copies.file(step, f));
        }
        if (a instanceof Action.Logins l) {
            return Optional.of(logins.run(step, l));
        }
        if (a instanceof Action.WalPosition w) {
            return Optional.of(waits.position(step, w));
        }
        if (a instanceof Action.WaitForReplication w) {
            return Optional.of(waits.await(step, w));
        }
        if (a instanceof Action.CopySequences c) {
            return Optional.of(copies.sequences(step, c));
        }
        if (a instanceof Action.CopyLargeObjects c) {
            return Optional.of(copies.largeObjects(step, c));
        }
        if (a instanceof Action.Verify v && v.stage() == Action.Verify.Stage.LIVE) {
            return Optional.of(live.run(step, v));
        }
        if (a instanceof Action.Verify v && v.stage() == Action.Verify.Stage.SNAPSHOT && ctx.target() != null) {
            return Optional.of(live.hold(step));
        }
        if (a instanceof Action.Check k) {
            return checks.check(step, k);
        }
        return Optional.empty();
    }

    /** Releases what a step holds for a later one (the snapshots of the frozen point). */
    void close() {
        live.close();
    }

    LogicalChecks checks() {
        return checks;
    }
}
