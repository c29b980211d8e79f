package io.pgmigrate.execute;

import io.pgmigrate.plan.Strategy;

/**
 * What execute, rollback and cleanup do with one plan's journal: the in-place upgrade ({@link Executor}) or the
 * blue/green cutover ({@link BlueGreenExecutor}), chosen by the plan's strategy.
 */
public sealed interface Execution permits Executor, BlueGreenExecutor {
    /** @param retryStep the failed step to run again ({@code --retry-step}), or null */
    Executor.Result run(String retryStep);

    Executor.Result rollback();

    Executor.Result cleanup();

    static Execution of(ExecutionContext ctx, Journal journal) {
        return ctx.plan().strategy() == Strategy.LOGICAL ? new BlueGreenExecutor(ctx, journal) : new Executor(ctx, journal);
    }
}
