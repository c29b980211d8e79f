package io.pgmigrate.transport;

/**
 * Patroni's answer to a change of its pause: the dynamic configuration it stored.
 *
 * @param endpoint the REST endpoint asked
 * @param paused   the {@code pause} value of the configuration Patroni wrote to its DCS (its members see it at their
 *                 next loop, {@code loop_wait} seconds at most)
 */
public record PatroniPause(String endpoint, boolean paused) {
}
