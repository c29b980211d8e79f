package io.pgmigrate.execute;

import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The write outage as the journal recorded it: when clients could not write, by the plan's in-outage steps. */
public final class MeasuredOutage {
    private MeasuredOutage() {
    }

    /**
     * In place, one outage: from the start of the first step inside it to the end of the last one that finished or
     * failed (null when the execution never entered it).
     */
    public static Duration whole(Plan plan, List<JournalEvent> entries) {
        return window(ids(plan, Step::inOutage), null, entries);
    }

    /** The ids of the plan's steps that are so. */
    private static Set<String> ids(Plan plan, java.util.function.Predicate<Step> which) {
        Set<String> ids = new HashSet<>();
        plan.phases().forEach(p -> p.steps().stream().filter(which).forEach(st -> ids.add(st.id())));
        return ids;
    }

    /**
     * Blue/green, one outage per phase that has one (blue's restart, the cutover, the reverse cutover), each of its
     * last attempt: from the last start of the phase's first in-outage step (the freeze) to the end of the last
     * in-outage step after it. Phases never entered are left out; the map keeps the plan's order.
     */
    public static Map<String, Duration> byPhase(Plan plan, List<JournalEvent> entries) {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (Phase phase : plan.phases()) {
            List<String> inOutage = phase.steps().stream().filter(Step::inOutage).map(Step::id).toList();
            Duration d = inOutage.isEmpty() ? null : window(Set.copyOf(inOutage), inOutage.get(0), entries);
            if (d != null) {
                out.put(phase.id(), d);
            }
        }
        return out;
    }

    /**
     * In place with standbys (issue #15): from the start of the outage (under Patroni, of its pause: failover is off
     * from there) until the last standby the plan rebuilds streamed with no lag (the last
     * {@link StepRole#STANDBY_STREAMING} step finished); null without such steps or before every one of them finished.
     */
    /** How status and the report say it for blue/green, where the time until HA is zero by construction. */
    public static final String GREEN_HA = "green highly available from its first second (its standbys streamed with"
            + " no lag before the cutover)";

    public static Duration untilHighlyAvailable(Plan plan, List<JournalEvent> entries) {
        Set<String> inOutage = ids(plan, st -> st.inOutage() || st.role() == StepRole.PATRONI_PAUSE);
        Set<String> streams = ids(plan, st -> st.role() == StepRole.STANDBY_STREAMING);
        if (streams.isEmpty()) {
            return null;
        }
        Instant start = null;
        Instant end = null;
        Set<String> finished = new HashSet<>();
        for (JournalEvent e : entries) {
            if (e.step() == null) {
                continue;
            }
            if (e instanceof JournalEvent.StepStarted && inOutage.contains(e.step()) && start == null) {
                start = e.at();
            }
            if (e instanceof JournalEvent.StepFinished && streams.contains(e.step())) {
                finished.add(e.step());
                end = e.at();
            }
        }
        if (start == null || !finished.containsAll(streams)) {
            return null;
        }
        // blue/green: green's standbys stream before the cutover begins: green is highly available from its first second
        return plan.strategy() == io.pgmigrate.plan.Strategy.LOGICAL || end.isBefore(start) ? Duration.ZERO
                : Duration.between(start, end);
    }

    /** @param restartAt a step whose every start begins the window anew (the freeze of another attempt); or null */
    private static Duration window(Set<String> steps, String restartAt, List<JournalEvent> entries) {
        Instant start = null;
        Instant end = null;
        for (JournalEvent e : entries) {
            if (e.step() == null || !steps.contains(e.step())) {
                continue;
            }
            if (e instanceof JournalEvent.StepStarted && (start == null || e.step().equals(restartAt))) {
                start = e.at();
                end = null;
            }
            if (e instanceof JournalEvent.StepFinished f && !f.foundDone() || e instanceof JournalEvent.StepFailed) {
                end = e.at();
            }
        }
        return start == null || end == null ? null : Duration.between(start, end);
    }
}
