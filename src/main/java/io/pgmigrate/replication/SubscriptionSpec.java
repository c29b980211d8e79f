package io.pgmigrate.replication;

/**
 * What {@code CREATE SUBSCRIPTION} gets: its name, the publisher and publication, and the options that
 * differ between the directions. Blue → green copies the data and creates the slot; the reverse direction
 * after the switch does not copy ({@code copyData = false}) and, where the subscriber is 16 or later, takes
 * only changes of local origin ({@code origin = none}). {@code origin} null leaves the option out.
 */
public record SubscriptionSpec(String name, PublisherConnection publisher, String publication, boolean copyData,
                               boolean createSlot, String slotName, Origin origin) {
    public SubscriptionSpec {
        if (slotName == null || !slotName.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("a replication slot name holds 1 to 63 of a-z, 0-9 and _: '" + slotName + "'");
        }
    }

    /** The initial copy: copy the tables, create the slot. */
    public static SubscriptionSpec initialCopy(ReplicationNames names, PublisherConnection publisher) {
        return new SubscriptionSpec(names.subscription(), publisher, names.publication(), true, true, names.slot(), null);
    }

    /** Replication without a copy (the data is there already), from now on, with the given origin filter. */
    public static SubscriptionSpec withoutCopy(ReplicationNames names, PublisherConnection publisher, Origin origin) {
        return new SubscriptionSpec(names.subscription(), publisher, names.publication(), false, true, names.slot(), origin);
    }
}
