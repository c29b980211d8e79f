package io.pgmigrate.transport;

import java.time.Duration;

/**
 * Choices the user makes per run about how hosts are reached.
 *
 * @param acceptNewHostKey trust an SSH host key seen for the first time and append it to known_hosts
 *                         ({@code --accept-new-host-key}); a changed key is refused regardless
 * @param connectTimeout   how long to wait for the TCP connection and the SSH handshake
 */
public record TransportOptions(boolean acceptNewHostKey, Duration connectTimeout) {
    public TransportOptions {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
    }

    /** Strict host key checking, 20 seconds to connect. */
    public static TransportOptions defaults() {
        return new TransportOptions(false, Duration.ofSeconds(20));
    }

    public TransportOptions withAcceptNewHostKey(boolean accept) {
        return new TransportOptions(accept, connectTimeout);
    }
}
