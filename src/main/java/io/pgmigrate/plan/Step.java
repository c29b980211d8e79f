package io.pgmigrate.plan;

import java.time.Duration;

/**
 * One step of a plan: data, not code.
 *
 * @param id        stable within the plan, e.g. {@code outage.pg-upgrade}
 * @param why       why it is there, for the reviewer
 * @param estimate  how long it is expected to take (see the plan's estimate assumptions)
 * @param timeout   the executor gives up (and rolls back where possible) after this
 * @param retrySafe idempotent: the executor may retry it; never true for pg_upgrade
 * @param undo      what undoes it, in words (and how the executor does it); null when nothing needs undoing
 * @param inOutage  whether it runs while clients cannot write
 * @param marker    rollback point / point of no return
 */
public record Step(String id, String title, String why, HostRole host, Action action, Duration estimate, Duration timeout,
                   boolean retrySafe, String undo, boolean inOutage, Marker marker) {
}
