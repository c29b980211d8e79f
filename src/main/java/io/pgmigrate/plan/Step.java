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
 * @param standby    the inventory's name of the standby the step is about (issue #15): where it runs when its host
 *                   is {@link HostRole#STANDBY}; a step elsewhere may name one too (rsync from the primary's host, a
 *                   wait on the new primary for it); null for every other step
 */
public record Step(String id, String title, String why, HostRole host, StepRole role, Action action,
                   Completion completion, Duration estimate, Duration timeout, OnTimeout onTimeout, boolean retrySafe,
                   String undo, boolean inOutage, Marker marker, String standby) {

    public Step {
        if (host == HostRole.STANDBY && standby == null) {
            throw new IllegalArgumentException("step " + id + " runs on a standby's host but names none");
        }
    }

    /** A step on the source's, green's or this machine's host. */
    public Step(String id, String title, String why, HostRole host, StepRole role, Action action,
                Completion completion, Duration estimate, Duration timeout, OnTimeout onTimeout, boolean retrySafe,
                String undo, boolean inOutage, Marker marker) {
        this(id, title, why, host, role, action, completion, estimate, timeout, onTimeout, retrySafe, undo, inOutage,
                marker, null);
    }

    public Step withMarker(Marker m) {
        return new Step(id, title, why, host, role, action, completion, estimate, timeout, onTimeout, retrySafe, undo,
                inOutage, m, standby);
    }
}
