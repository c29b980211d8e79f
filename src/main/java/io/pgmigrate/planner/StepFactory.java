package io.pgmigrate.planner;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.OnTimeout;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.PhaseKind;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;

import java.time.Duration;
import java.util.List;

/** Small helpers that keep the planners' step lists readable. */
public final class StepFactory {
    private StepFactory() {
    }

    /**
     * A builder for one step; defaults: source host, no particular role, not retry-safe, no undo, outside the outage,
     * no marker, stopped at its timeout; an interrupted run is run again when retry-safe, else pgmigrate cannot tell.
     */
    public static Builder step(String id, String title) {
        return new Builder(id, title);
    }

    /** Timeout for a step estimated to take {@code estimate}: four times it, at least {@code floor}. */
    public static Duration timeout(Duration estimate, Duration floor) {
        Duration fourTimes = estimate.multipliedBy(4);
        return fourTimes.compareTo(floor) > 0 ? fourTimes : floor;
    }

    /** A phase whose estimate is the sum of its steps'. */
    public static Phase phase(String id, PhaseKind kind, String title, List<Step> steps) {
        return new Phase(id, kind, title, steps.stream().map(Step::estimate).reduce(Duration.ZERO, Duration::plus),
                steps);
    }

    /** The last step of the list, marked. */
    public static void markLast(List<Step> steps, Marker marker) {
        steps.add(steps.remove(steps.size() - 1).withMarker(marker));
    }

    public static final class Builder {
        private final String id;
        private final String title;
        private String why = "";
        private HostRole host = HostRole.SOURCE;
        private String standby;
        private StepRole role = StepRole.NONE;
        private Action action;
        private Completion completion;
        private Duration estimate = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofMinutes(5);
        private OnTimeout onTimeout = OnTimeout.STOP;
        private boolean retrySafe;
        private String undo;
        private boolean inOutage;
        private Marker marker = Marker.NONE;

        private Builder(String id, String title) {
            this.id = id;
            this.title = title;
        }

        public Builder why(String text) {
            this.why = text;
            return this;
        }

        public Builder on(HostRole role) {
            this.host = role;
            return this;
        }

        /** Is about the inventory's standby of that name, wherever it runs. */
        public Builder forStandby(String name) {
            this.standby = name;
            return this;
        }

        /** Runs on the host of the inventory's standby of that name. */
        public Builder onStandby(String name) {
            this.host = HostRole.STANDBY;
            this.standby = name;
            return this;
        }

        public Builder role(StepRole r) {
            this.role = r;
            return this;
        }

        public Builder action(Action a) {
            this.action = a;
            return this;
        }

        /** How an interrupted run is found done (needed only for a step that is not retry-safe). */
        public Builder completion(Completion c) {
            this.completion = c;
            return this;
        }

        /** Expected duration; the timeout becomes four times it, at least {@code floor}. */
        public Builder estimate(Duration expected, Duration floor) {
            this.estimate = expected;
            this.timeout = StepFactory.timeout(expected, floor);
            return this;
        }

        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        /** Never interrupted by its timeout: past it, pgmigrate warns and keeps waiting. */
        public Builder keepWaitingPastTimeout() {
            this.onTimeout = OnTimeout.KEEP_WAITING;
            return this;
        }

        public Builder retrySafe() {
            this.retrySafe = true;
            return this;
        }

        public Builder undo(String text) {
            this.undo = text;
            return this;
        }

        public Builder inOutage(boolean b) {
            this.inOutage = b;
            return this;
        }

        public Builder marker(Marker m) {
            this.marker = m;
            return this;
        }

        public Step build() {
            if (action == null) {
                throw new IllegalStateException("step " + id + " has no action");
            }
            Completion c = completion != null ? completion
                    : retrySafe ? new Completion.RunAgain() : new Completion.CannotTell();
            return new Step(id, title, why, host, role, action, c, estimate, timeout, onTimeout, retrySafe, undo,
                    inOutage, marker, standby);
        }
    }
}
