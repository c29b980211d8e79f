package io.pgmigrate.transport;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The output of a held program: both streams captured in full, its first stdout line, and the wait for that line. */
final class HeldOutput {
    /** How long a held program gets to end after EOF on its stdin before it is stopped. */
    static final long CLOSE_WAIT_MILLIS = 5_000;

    private final CountDownLatch arrived = new CountDownLatch(1);
    private final Object lock = new Object();
    private volatile String line;
    /** stdout, the first line of which is kept apart. */
    final LineCapture out = new LineCapture(this::accept, lock, Long.MAX_VALUE);
    final LineCapture err = new LineCapture(l -> { }, lock, Long.MAX_VALUE);

    private void accept(String l) {
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
