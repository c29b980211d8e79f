package io.pgmigrate.transport;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The circuit breaker around SSH connects, with a connector that fails or succeeds on command. */
class ConnectBreakerTest {
    private static final String PREFIX = "cannot connect over SSH to postgres@db1:22: ";

    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean up;

    private final Supplier<String> connector = () -> {
        calls.incrementAndGet();
        if (!up) {
            throw new TransportException(PREFIX + "connection refused (is sshd running there?)");
        }
        return "session";
    };

    private static ConnectBreaker breaker(Duration openFor) {
        return new ConnectBreaker("SSH to postgres@db1:22", PREFIX, openFor);
    }

    @Test
    void afterThreeFailuresTheFourthCallFailsFastWithOneLine() {
        ConnectBreaker b = breaker(ConnectBreaker.OPEN_FOR);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> b.connect(connector)).hasMessageStartingWith(PREFIX);
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> b.connect(connector))
                .isInstanceOf(TransportException.class)
                .hasMessage("SSH to postgres@db1:22 is down: 3 connection attempts failed in a row, the last:"
                        + " connection refused (is sshd running there?); pgmigrate tries again in 30 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
        assertThat(calls.get()).as("the open breaker did not call the connector").isEqualTo(3);
        assertThat(b.isOpen()).isTrue();
    }

    @Test
    void aSuccessInBetweenStartsTheCountAgain() {
        ConnectBreaker b = breaker(ConnectBreaker.OPEN_FOR);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> b.connect(connector)).hasMessageStartingWith(PREFIX);
        }
        up = true;
        assertThat(b.connect(connector)).isEqualTo("session");
        up = false;
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> b.connect(connector)).hasMessageStartingWith(PREFIX);
        }
        assertThat(b.isOpen()).isFalse();
        assertThat(calls.get()).isEqualTo(5);
    }

    @Test
    void afterTheDelayOneAttemptIsLetThroughAndASuccessClosesIt() throws InterruptedException {
        ConnectBreaker b = breaker(Duration.ofMillis(300));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> b.connect(connector)).hasMessageStartingWith(PREFIX);
        }
        assertThatThrownBy(() -> b.connect(connector)).hasMessageContaining("is down");
        Thread.sleep(400);
        // half-open: one attempt goes through; its failure opens the breaker again at once
        assertThatThrownBy(() -> b.connect(connector)).hasMessageStartingWith(PREFIX);
        assertThatThrownBy(() -> b.connect(connector))
                .hasMessageStartingWith("SSH to postgres@db1:22 is down: 4 connection attempts failed in a row");
        assertThat(calls.get()).isEqualTo(4);
        Thread.sleep(400);
        up = true;
        assertThat(b.connect(connector)).isEqualTo("session");
        assertThat(b.isOpen()).isFalse();
        up = false;
        assertThatThrownBy(() -> b.connect(connector)).hasMessageStartingWith(PREFIX);
        assertThat(calls.get()).isEqualTo(6);
    }
}
