package io.pgmigrate.facts;

import java.util.List;

/**
 * The Patroni cluster of the inventory's {@code ha.patroni} as its REST APIs describe it at inspection (issue #15).
 * Read-only, like all facts; no value of a setting, only names, so nothing secret is kept.
 *
 * @param scope         the cluster's name ({@code patroni.scope}), the same on every endpoint
 * @param endpoints     what each REST endpoint of the inventory said about its own member, in the inventory's order
 * @param members       the cluster's members as {@code GET /cluster} lists them (one endpoint's answer), by name
 * @param paused        the cluster's management is paused (maintenance mode)
 * @param dcsParameters the names under {@code postgresql.parameters} of the dynamic configuration in the DCS
 *                      ({@code GET /config}), sorted; null when it could not be read
 * @param dcsProblem    why the dynamic configuration could not be read, else null
 */
public record PatroniFacts(String scope, List<Endpoint> endpoints, List<Member> members, boolean paused,
                           List<String> dcsParameters, String dcsProblem) {
    public PatroniFacts {
        endpoints = List.copyOf(endpoints);
        members = List.copyOf(members);
        dcsParameters = dcsParameters == null ? null : List.copyOf(dcsParameters);
    }

    /**
     * One REST endpoint's {@code GET /patroni}.
     *
     * @param endpoint         {@code host:port} as the inventory lists it
     * @param member           the member that answered (its name, found by its {@code api_url}); null when unknown
     * @param patroniVersion   e.g. {@code 3.0.2}
     * @param role             {@code leader}, {@code replica}, {@code standby_leader} … (Patroni's {@code master}
     *                         reads {@code leader})
     * @param serverVersion    e.g. 150018; null while its PostgreSQL is stopped
     * @param systemIdentifier its data directory's
     * @param timeline         null while its PostgreSQL is stopped
     */
    public record Endpoint(String endpoint, String member, String patroniVersion, String role, String state,
                           Integer serverVersion, String systemIdentifier, Integer timeline, boolean pendingRestart,
                           boolean paused) {
    }

    /**
     * A member of the cluster ({@code GET /cluster}), and what the inventory knows it as.
     *
     * @param host     where its PostgreSQL listens ({@code postgresql.connect_address})
     * @param apiUrl   its REST API's {@code /patroni} URL
     * @param lagBytes null for the leader and when Patroni does not know
     * @param source   its host is the inventory's source host
     * @param standby  the name of the inventory's standby on its host, else null
     */
    public record Member(String name, String role, String state, String host, int port, String apiUrl,
                         Integer timeline, Long lagBytes, boolean pendingRestart, boolean source, String standby) {
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isLeader() {
            return "leader".equals(role) || "standby_leader".equals(role);
        }

        /** Listed in the inventory: the source's host or a standby's. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean listed() {
            return source || standby != null;
        }
    }

    /** The member holding the leader lock, if one does. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public java.util.Optional<Member> leader() {
        return members.stream().filter(Member::isLeader).findFirst();
    }
}
