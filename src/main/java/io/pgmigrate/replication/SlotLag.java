package io.pgmigrate.replication;

import io.pgmigrate.pg.Lsn;

import java.time.Duration;
import java.util.Optional;

/**
 * How far a subscription is behind its publisher, measured on the publisher: the publisher's current WAL
 * insert position, the position the subscriber confirmed as flushed ({@code confirmed_flush_lsn} of its slot; null
 * before the slot has one) and the difference in bytes; and, while its walsender measures it, the time the
 * last changes took to be flushed on the subscriber ({@code pg_stat_replication.flush_lag}, empty when idle
 * or not connected).
 */
public record SlotLag(String slot, Lsn current, Lsn confirmedFlush, boolean active, Optional<Duration> flushLag) {
    /** Bytes of WAL the subscriber has not confirmed yet (all of it when nothing was confirmed). */
    public long bytesBehind() {
        return bytesBehind(current);
    }

    /** Bytes between the confirmed position and the target, 0 when the target is reached. */
    public long bytesBehind(Lsn target) {
        long confirmed = confirmedFlush == null ? 0 : confirmedFlush.value();
        return Math.max(0, target.value() - confirmed);
    }

    public boolean confirmed(Lsn target) {
        return confirmedFlush != null && confirmedFlush.compareTo(target) >= 0;
    }
}
