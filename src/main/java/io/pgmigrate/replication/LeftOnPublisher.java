package io.pgmigrate.replication;

/**
 * What a subscription dropped without its publisher left behind there: its replication slot (null when it
 * had none) and, if the initial copy was still running, table synchronisation slots named
 * {@code pg_<subscription oid>_sync_<table oid>_<system id>}. Both retain WAL on the publisher until they
 * are dropped ({@link ReplicationSlots#dropLeftovers}).
 */
public record LeftOnPublisher(String slotName, long subscriptionOid) {
    /** The prefix of the table synchronisation slots of this subscription. */
    public String syncSlotPrefix() {
        return "pg_" + subscriptionOid + "_sync_";
    }
}
