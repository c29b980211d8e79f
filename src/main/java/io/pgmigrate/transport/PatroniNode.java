package io.pgmigrate.transport;

import java.util.List;

/**
 * What one member says about itself on {@code GET /patroni}.
 *
 * @param scope            the cluster's name ({@code patroni.scope}; Patroni 3.0.2 has it only here, not in
 *                         {@code /cluster})
 * @param name             the member's own name; Patroni 3.0.2 does not give it (null then: see
 *                         {@link PatroniStatus#memberName()})
 * @param patroniVersion   e.g. {@code 3.0.2}
 * @param role             leader or replica ({@code master} in 3.0.2)
 * @param state            {@code running}, {@code stopped} …
 * @param serverVersion    e.g. 150018; null while PostgreSQL is stopped
 * @param systemIdentifier the data directory's database system identifier
 * @param timeline         null while PostgreSQL is stopped
 * @param pendingRestart   a changed setting waits for a restart
 * @param paused           the cluster's management is paused
 * @param senders          on the leader: its WAL senders ({@code replication}), empty elsewhere
 */
public record PatroniNode(String scope, String name, String patroniVersion, PatroniRole role, String state,
                          Integer serverVersion, String systemIdentifier, Integer timeline, boolean pendingRestart,
                          boolean paused, List<Sender> senders) {
    public PatroniNode {
        senders = List.copyOf(senders);
    }

    /**
     * One WAL sender of the leader, as {@code pg_stat_replication} has it.
     *
     * @param applicationName the standby's name (Patroni sets it to the member's name)
     * @param clientAddress   where the standby connects from
     * @param state           {@code streaming}, {@code startup}, {@code catchup} …
     * @param syncState       {@code async}, {@code sync}, {@code potential}, {@code quorum}
     */
    public record Sender(String applicationName, String clientAddress, String state, String syncState) {
    }
}
