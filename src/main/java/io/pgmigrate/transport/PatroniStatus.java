package io.pgmigrate.transport;

/**
 * What a careful DBA reads before touching a Patroni cluster, from one member's REST API: the answering member's own
 * view ({@code /patroni}) and the cluster's ({@code /cluster}).
 *
 * @param endpoint   the REST endpoint asked, {@code host:port}
 * @param memberName the answering member's name: {@code /patroni}'s own when it has one, else the member of
 *                   {@code /cluster} whose {@code api_url} is this endpoint; null when neither tells
 */
public record PatroniStatus(String endpoint, String memberName, PatroniNode node, PatroniTopology cluster) {
    public String scope() {
        return node.scope();
    }

    /** The cluster is paused, as either answer says (they are read one after the other). */
    public boolean paused() {
        return node.paused() || cluster.paused();
    }
}
