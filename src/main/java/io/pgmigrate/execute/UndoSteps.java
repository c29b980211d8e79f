package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.OnTimeout;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;

import java.time.Duration;

/** Steps the executor makes itself to undo a step of the plan: retry-safe, inside the outage, never journaled. */
public final class UndoSteps {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private UndoSteps() {
    }

    public static Step like(Step s, String title, Action action) {
        return like(s, s.host(), title, action);
    }

    public static Step like(Step s, HostRole host, String title, Action action) {
        return named(s, host, "undo", title, action);
    }

    /** Like {@link #like} with the id {@code s.id() + "." + suffix}: a second undo step of the same step. */
    public static Step named(Step s, HostRole host, String suffix, String title, Action action) {
        return new Step(s.id() + "." + suffix, title, "Undoes " + s.id() + ".", host, StepRole.NONE, action,
                new Completion.RunAgain(), Duration.ofSeconds(1), TIMEOUT, OnTimeout.STOP, true, null, true,
                Marker.NONE);
    }
}
