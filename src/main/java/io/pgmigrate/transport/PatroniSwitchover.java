package io.pgmigrate.transport;

/**
 * Patroni's answer to a switchover it accepted.
 *
 * @param endpoint  the REST endpoint asked
 * @param leader    the member that was leader
 * @param candidate the member asked to become leader
 * @param scheduled Patroni accepted it for later (HTTP 202) instead of doing it now (HTTP 200)
 * @param message   Patroni's text, e.g. {@code Successfully switched over to "pg2"}
 */
public record PatroniSwitchover(String endpoint, String leader, String candidate, boolean scheduled, String message) {
}
