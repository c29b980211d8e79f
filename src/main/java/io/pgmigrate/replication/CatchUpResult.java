package io.pgmigrate.replication;

import io.pgmigrate.core.Bytes;
import io.pgmigrate.pg.Lsn;

import java.time.Duration;

/**
 * The answer of {@link CatchUp#waitUntilConfirmed}: whether the slot's confirmed position reached the
 * target, where it stood at the end, how many bytes short, and how long the wait took.
 */
public record CatchUpResult(String slot, Lsn target, Lsn confirmedFlush, boolean reached, long bytesBehind,
                            Duration waited) {
    public String describe() {
        String at = confirmedFlush == null ? "nothing confirmed yet" : "confirmed " + confirmedFlush;
        if (reached) {
            return "slot " + slot + " reached " + target + " (" + at + ") after " + waited.toMillis() + " ms";
        }
        return "slot " + slot + " did not reach " + target + " within " + waited.toMillis() + " ms: " + at + ", "
                + Bytes.human(bytesBehind) + " behind";
    }
}
