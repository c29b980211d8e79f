package io.pgmigrate.plan;

import java.time.Duration;

/**
 * One step of a plan: data, not code. Everything the executor needs to know about it is in these fields.
 *
 * @param id         stable within the plan, e.g. {@code outage.pg-upgrade}: for people and the journal, never parsed
 * @param why        why it is there, for the reviewer
 * @param role       what the step means for the way back, the point of no return and the dry run
 * @param completion how to tell on the host whether an interrupted run of it finished its work
 * @param estimate   how long it is expected to take (see the plan's estimate assumptions)
 * @param timeout    the executor gives up (and rolls back where possible) after this, unless {@code onTimeout}
 *                   says to keep waiting
 * @param onTimeout  what happens when the timeout passes
 * @param retrySafe  idempotent: the executor may retry it; never true for pg_upgrade
 * @param undo       what undoes it, in words (and how the executor does it); null when nothing needs undoing
 * @param inOutage   whether it runs while clients cannot write
 * @param marker     rollback point / point of no return
 */
public record Step(String id, String title, String why, HostRole host, StepRole role, Action action,
                   Completion completion, Duration estimate, Duration timeout, OnTimeout onTimeout, boolean retrySafe,
                   String undo, boolean inOutage, Marker marker) {

    public Step withMarker(Marker m) {
        return new Step(id, title, why, host, role, action, completion, estimate, timeout, onTimeout, retrySafe, undo,
                inOutage, m);
    }
}
