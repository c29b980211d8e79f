package io.pgmigrate.replication;

import java.util.List;

/** A subscription as {@code pg_subscription} has it (the connection string left out). */
public record SubscriptionInfo(long oid, String name, String database, boolean enabled, String slotName,
                               List<String> publications) {
}
