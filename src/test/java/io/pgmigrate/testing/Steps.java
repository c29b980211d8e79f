package io.pgmigrate.testing;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.OnTimeout;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;

import java.time.Duration;

/** Steps made up by tests, outside any plan. */
public final class Steps {
    private Steps() {
    }

    /** On the controller, no role, 1 minute timeout. */
    public static Step adHoc(String id, Action action, boolean retrySafe, boolean inOutage) {
        return new Step(id, id, "test", HostRole.CONTROLLER, StepRole.NONE, action,
                retrySafe ? new Completion.RunAgain() : new Completion.CannotTell(), Duration.ofSeconds(1),
                Duration.ofMinutes(1), OnTimeout.STOP, retrySafe, null, inOutage, Marker.NONE);
    }
}
