package io.pgmigrate.replication;

import io.pgmigrate.transport.SqlSession;

/** Replication slots on a publisher. */
public final class Slots {
    private Slots() {
    }

    /** Whether a slot of this name exists and no walsender uses it. */
    public static boolean unused(SqlSession publisher, String slot) {
        return !publisher.query("SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND NOT active",
                slot).isEmpty();
    }

    /** Drops the slot when it exists and is unused; returns whether it dropped one. */
    public static boolean dropIfUnused(SqlSession publisher, String slot) {
        return !publisher.query("SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM"
                + " pg_catalog.pg_replication_slots WHERE slot_name = ? AND NOT active", slot).isEmpty();
    }
}
