package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StepAttemptTest {
    private static Step step(Action action, boolean retrySafe, boolean inOutage) {
        return io.pgmigrate.testing.Steps.adHoc("x.y", action, retrySafe, inOutage);
    }

    @Test
    void aWaitWhileClientsCannotWriteIsNotWaitedForAgainAfterItsTimeout() {
        Action confirmed = new Action.WaitForReplication(Action.WaitForReplication.Condition.CONFIRMED_POSITION,
                Action.Endpoint.SOURCE, "shop", "s", "s", 0, "cutover.wal-position");
        assertThat(StepAttempt.retried(step(confirmed, true, true))).isFalse();
        assertThat(StepAttempt.retried(step(confirmed, true, false))).as("outside the outage").isTrue();
        Action ready = new Action.WaitFor(Action.WaitFor.Condition.SERVER_ACCEPTS_CONNECTIONS, Action.Endpoint.TARGET,
                java.util.List.of());
        assertThat(StepAttempt.retried(step(ready, true, true))).isFalse();
    }

    @Test
    void otherRetrySafeStepsAreRetriedAndTheRestNever() {
        Action sql = new Action.RunSql(Action.Endpoint.TARGET, "shop", "ALTER SUBSCRIPTION \"s\" DISABLE");
        assertThat(StepAttempt.retried(step(sql, true, true))).isTrue();
        assertThat(StepAttempt.retried(step(sql, false, true))).isFalse();
    }
}
