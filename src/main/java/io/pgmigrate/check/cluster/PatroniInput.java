package io.pgmigrate.check.cluster;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.facts.PatroniFacts;
import io.pgmigrate.plan.Strategy;

/** What the Patroni checks share (issue #15): they speak only of an in-place plan of a cluster under Patroni. */
final class PatroniInput {
    private PatroniInput() {
    }

    /** The Patroni cluster as read, or null when the checks have nothing to say (no ha.patroni, or blue/green). */
    static PatroniFacts of(CheckInput in) {
        if (in.inventory().strategy() != Strategy.PG_UPGRADE) {
            return null;
        }
        return in.facts().patroni();
    }

    /** How a finding names a member: {@code pg2 (10.0.0.2:5432, replica)}. */
    static String describe(PatroniFacts.Member m) {
        return m.name() + " (" + m.host() + ":" + m.port() + ", " + m.role() + ", " + m.state() + ")";
    }

    /** {@code patronictl -c <config>}, the way the fixes say it. */
    static String patronictl(CheckInput in) {
        return "patronictl -c " + in.inventory().ha().patroni().config();
    }
}
