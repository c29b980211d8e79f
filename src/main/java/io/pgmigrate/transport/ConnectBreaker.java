package io.pgmigrate.transport;

import dev.failsafe.CircuitBreaker;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Guards the connects to one host with a Failsafe {@link CircuitBreaker}: after {@value #FAILURES_TO_OPEN}
 * failed connects in a row it opens for {@link #OPEN_FOR}, and every connect asked for meanwhile fails at once
 * with one line naming the host, the count, the last cause and when pgmigrate tries again; then one connect is let
 * through (half-open), and a success closes it again. Any failed handshake counts, a refused key or host key too
 * (three in a row are not worth a fourth within seconds: an intrusion filter on the host may ban us); a local
 * problem found before the host is contacted (a missing identity file) is not run through it.
 */
final class ConnectBreaker {
    static final int FAILURES_TO_OPEN = 3;
    static final Duration OPEN_FOR = Duration.ofSeconds(30);

    private final String what;
    private final String causePrefix;
    private final CircuitBreaker<Object> breaker;
    private int failuresInARow;
    private String lastCause = "";

    /**
     * what: "SSH to user@host:port"; causePrefix: the start of a connect failure's message that the "is down"
     * line leaves out before quoting it ("cannot connect over SSH to user@host:port: ").
     */
    ConnectBreaker(String what, String causePrefix, Duration openFor) {
        this.what = what;
        this.causePrefix = causePrefix;
        this.breaker = CircuitBreaker.builder()
                .withFailureThreshold(FAILURES_TO_OPEN)
                .withSuccessThreshold(1)
                .withDelay(openFor)
                .build();
    }

    /** Runs the connect unless the breaker is open; throws {@link TransportException} (the connect's, or "is down"). */
    synchronized <S> S connect(Supplier<S> connector) {
        if (!breaker.tryAcquirePermit()) {
            throw new TransportException(what + " is down: " + failuresInARow + " connection attempts failed in a row,"
                    + " the last: " + lastCause + "; pgmigrate tries again in " + seconds(breaker.getRemainingDelay()) + " s");
        }
        S connected;
        try {
            connected = connector.get();
        } catch (RuntimeException e) {
            failuresInARow++;
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            lastCause = m.startsWith(causePrefix) ? m.substring(causePrefix.length()) : m;
            breaker.recordFailure();
            throw e;
        }
        failuresInARow = 0;
        breaker.recordSuccess();
        return connected;
    }

    /** Whether connects fail fast now. */
    synchronized boolean isOpen() {
        return breaker.isOpen();
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
