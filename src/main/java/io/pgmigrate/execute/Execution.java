package io.pgmigrate.execute;

/**
 * What execute, rollback and cleanup do with one plan's journal; each strategy has its own (in place:
 * {@code execute.inplace.InPlaceExecution}, blue/green: {@code execute.bluegreen.BlueGreenExecution}), and the
 * application picks it by the plan's strategy.
 */
public interface Execution {
    /** @param retryStep the failed step to run again ({@code --retry-step}), or null */
    ExecutionResult run(String retryStep);

    ExecutionResult rollback();

    /**
     * {@code rollback --discard-new-writes}: as {@link #rollback()}, and also past a point of no return that only means
     * losing what the new cluster accepted (in place with --copy or --clone, whose old cluster is intact until cleanup).
     * Strategies without such a point do the plain rollback.
     */
    default ExecutionResult rollback(boolean discardNewWrites) {
        return rollback();
    }

    ExecutionResult cleanup();
}
