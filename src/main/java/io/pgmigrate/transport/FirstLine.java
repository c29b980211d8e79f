package io.pgmigrate.transport;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The first stdout line of a held program, and the wait for it (or for the program's end). */
final class FirstLine {
    /** How long a held program gets to end after EOF on its stdin before it is stopped. */
    static final long CLOSE_WAIT_MILLIS = 5_000;

    private final CountDownLatch arrived = new CountDownLatch(1);
    private volatile String line;

    /** Receives stdout lines (a {@link LineCapture} consumer); keeps the first. */
    void accept(String l) {
        if (line == null) {
            line = l;
            arrived.countDown();
        }
    }

    String line() {
        return line;
    }

    /**
     * Waits until the first line arrived or ended says so, at most timeoutMillis; true when either happened. ended is
     * polled (a closed SSH channel has no callback).
     */
    boolean await(long timeoutMillis, BooleanSupplier ended) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long pause = 2;
        while (true) {
            if (arrived.await(pause, TimeUnit.MILLISECONDS) || ended.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause = Math.min(pause * 2, 50);
        }
    }
}
