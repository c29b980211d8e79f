package io.pgmigrate.replication;

import io.pgmigrate.transport.SqlSession;

import java.util.List;

/**
 * What pgmigrate created on one cluster, found by its name prefix, so that cleanup misses nothing:
 * publications (of the session's database), subscriptions and slots (of the whole cluster), and table
 * synchronisation slots of any subscriber (a subscription dropped during its initial copy without its
 * publisher leaves them, named after the subscription's oid rather than pgmigrate's prefix).
 */
public record ReplicationObjects(List<String> publications, List<SubscriptionInfo> subscriptions, List<SlotInfo> slots,
                                 List<SlotInfo> tableSyncSlots) {
    public static ReplicationObjects find(SqlSession s, String prefix) {
        return new ReplicationObjects(Publications.withPrefix(s, prefix), Subscriptions.withPrefix(s, prefix),
                ReplicationSlots.withPrefix(s, prefix), ReplicationSlots.tableSyncSlots(s));
    }

    public boolean isEmpty() {
        return publications.isEmpty() && subscriptions.isEmpty() && slots.isEmpty() && tableSyncSlots.isEmpty();
    }

    public String describe() {
        if (isEmpty()) {
            return "nothing";
        }
        return "publications " + publications + ", subscriptions "
                + subscriptions.stream().map(x -> x.database() + "/" + x.name()).toList()
                + ", slots " + slots.stream().map(SlotInfo::name).toList()
                + ", table sync slots " + tableSyncSlots.stream().map(SlotInfo::name).toList();
    }
}
