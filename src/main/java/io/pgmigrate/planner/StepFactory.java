package io.pgmigrate.planner;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Step;

import java.time.Duration;

/** Small helpers that keep the planner's step list readable. */
public final class StepFactory {
    private StepFactory() {
    }

    /** A builder for one step; defaults: source host, not retry-safe, no undo, outside the outage, no marker. */
    public static Builder step(String id, String title) {
        return new Builder(id, title);
    }

    /** Timeout for a step estimated to take {@code estimate}: four times it, at least {@code floor}. */
    public static Duration timeout(Duration estimate, Duration floor) {
        Duration fourTimes = estimate.multipliedBy(4);
        return fourTimes.compareTo(floor) > 0 ? fourTimes : floor;
    }

    public static final class Builder {
        private final String id;
        private final String title;
        private String why = "";
        private HostRole host = HostRole.SOURCE;
        private Action action;
        private Duration estimate = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofMinutes(5);
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

        public Builder action(Action a) {
            this.action = a;
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
            return new Step(id, title, why, host, action, estimate, timeout, retrySafe, undo, inOutage, marker);
        }
    }
}
