package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MeasuredOutageTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private enum Event { STEP_STARTED, STEP_FINISHED, STEP_FAILED, STEP_UNDONE }

    private static JournalEvent e(double seconds, Event event, String step) {
        Instant at = T0.plusMillis((long) (seconds * 1000));
        return switch (event) {
            case STEP_STARTED -> new JournalEvent.StepStarted(at, step, JournalEvent.Recorded.NOTHING);
            case STEP_FINISHED -> new JournalEvent.StepFinished(at, step, 1L, null, null, false);
            case STEP_FAILED -> new JournalEvent.StepFailed(at, step, 1L, "x", JournalEvent.Failure.STEP);
            case STEP_UNDONE -> new JournalEvent.StepUndone(at, step);
        };
    }

    @Test
    void blueGreenReportsEachPhasesOutageAndOnlyTheCutoversLastAttempt() {
        Plan plan = Planner.plan(Inventories.logical(), Facts.healthy().build(), T0);
        assertThat(plan.step("cutover.freeze")).isPresent();
        List<JournalEvent> journal = List.of(
                e(100, Event.STEP_STARTED, "cutover.freeze"), e(100.2, Event.STEP_FINISHED, "cutover.freeze"),
                e(100.3, Event.STEP_STARTED, "cutover.verify"), e(104, Event.STEP_FAILED, "cutover.verify"),
                e(104.1, Event.STEP_UNDONE, "cutover.freeze"),
                e(300, Event.STEP_STARTED, "replicate.caught-up.shop"), e(301, Event.STEP_FINISHED, "replicate.caught-up.shop"),
                e(400, Event.STEP_STARTED, "cutover.freeze"), e(400.1, Event.STEP_FINISHED, "cutover.freeze"),
                e(401, Event.STEP_STARTED, "cutover.switch-clients"), e(402.5, Event.STEP_FINISHED, "cutover.switch-clients"),
                e(403, Event.STEP_STARTED, "cutover.fence-blue"), e(409, Event.STEP_FINISHED, "cutover.fence-blue"));

        var outages = MeasuredOutage.byPhase(plan, journal);

        assertThat(outages).containsOnlyKeys("cutover");
        assertThat(outages.get("cutover")).as("the last attempt, up to the switch; the fence is not in the outage")
                .isEqualTo(Duration.ofMillis(2500));
        assertThat(MeasuredOutage.whole(plan, journal)).as("in place: first start to last end")
                .isEqualTo(Duration.ofMillis(302500));
    }
}
