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

    ExecutionResult cleanup();
}
