package io.pgmigrate.transport;

/**
 * One member of a Patroni cluster as {@code GET /cluster} lists it.
 *
 * @param name           the member's name ({@code name:} of its patroni.yml)
 * @param role           leader, replica, sync standby …
 * @param roleText       the role as Patroni wrote it
 * @param state          {@code running}, {@code stopped}, {@code starting}, {@code start failed}, {@code streaming}
 *                       (newer Patroni) …
 * @param host           where its PostgreSQL listens
 * @param port           its PostgreSQL port
 * @param apiUrl         its REST API's {@code /patroni} URL
 * @param lagBytes       replication lag in bytes; null for the leader and when Patroni says {@code unknown}
 * @param timeline       null when Patroni gives none (PostgreSQL stopped)
 * @param pendingRestart a changed setting waits for a restart
 */
public record PatroniMember(String name, PatroniRole role, String roleText, String state, String host, int port,
                            String apiUrl, Long lagBytes, Integer timeline, boolean pendingRestart) {
    public boolean isLeader() {
        return role == PatroniRole.LEADER || role == PatroniRole.STANDBY_LEADER;
    }

    public boolean isRunning() {
        return "running".equals(state) || "streaming".equals(state);
    }
}
