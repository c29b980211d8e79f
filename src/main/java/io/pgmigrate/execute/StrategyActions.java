package io.pgmigrate.execute;

import io.pgmigrate.plan.Step;

import java.util.Optional;

/** The action kinds only one strategy's plans have (blue/green: replication, logins, copies); none in place. */
public interface StrategyActions extends AutoCloseable {
    /** The step's outcome when its action is one of this strategy's kinds; empty for any other. */
    Optional<StepRunner.Outcome> run(Step step);

    /** Releases what a step holds for a later one. */
    @Override
    default void close() {
    }

    StrategyActions NONE = step -> Optional.empty();
}
