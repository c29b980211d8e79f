package io.pgmigrate.transport;

import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /cluster} says about the whole cluster: its members (in Patroni's order, by name) and whether
 * its management is paused (maintenance mode; Patroni 3.0.2 writes {@code "pause": true} only when it is).
 */
public record PatroniTopology(List<PatroniMember> members, boolean paused) {
    public PatroniTopology {
        members = List.copyOf(members);
    }

    /** The member holding the leader lock; none while the lock is free (a paused leader whose server stopped). */
    public Optional<PatroniMember> leader() {
        return members.stream().filter(PatroniMember::isLeader).findFirst();
    }

    public Optional<PatroniMember> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public List<PatroniMember> replicas() {
        return members.stream().filter(m -> !m.isLeader()).toList();
    }
}
