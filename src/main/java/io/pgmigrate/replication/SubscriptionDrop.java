package io.pgmigrate.replication;

/**
 * What dropping a subscription did. {@code leftOnPublisher} is null when nothing remains on the publisher
 * (the subscription was absent, or {@code DROP SUBSCRIPTION} dropped its slots there); otherwise it names
 * what to drop on the publisher once it is reachable, and {@code reason} says why it was left.
 */
public record SubscriptionDrop(String subscription, boolean existed, LeftOnPublisher leftOnPublisher, String reason) {
    public boolean slotsLeftOnPublisher() {
        return leftOnPublisher != null && leftOnPublisher.slotName() != null;
    }
}
