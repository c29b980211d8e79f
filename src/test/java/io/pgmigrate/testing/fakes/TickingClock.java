package io.pgmigrate.testing.fakes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock for unit tests that moves on by a fixed tick each time it is read: deadlines pass without waiting. */
public final class TickingClock extends Clock {
    private Instant now;
    private final Duration tick;

    public TickingClock(Instant start, Duration tick) {
        this.now = start;
        this.tick = tick;
    }

    @Override
    public synchronized Instant instant() {
        Instant t = now;
        now = now.plus(tick);
        return t;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
