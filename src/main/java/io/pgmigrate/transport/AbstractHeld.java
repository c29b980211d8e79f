package io.pgmigrate.transport;

import java.time.Duration;

/** What a held program is on any host: its output as captured, its first line, and the wait for that line. */
abstract class AbstractHeld implements HeldCommand {
    private final String what;
    private final HeldOutput output;

    AbstractHeld(String what, HeldOutput output) {
        this.what = what;
        this.output = output;
    }

    /** Whether its stdout has ended (everything it wrote has arrived). */
    abstract boolean outputEnded();

    /**
     * Returns once the first line arrived or its output ended; when neither happened within startTimeout, it is
     * closed and a {@link TransportException} says so.
     */
    final void awaitStart(Duration startTimeout) {
        try {
            if (!output.await(startTimeout.toMillis(), this::outputEnded)) {
                close();
                throw new TransportException(what + " wrote no line within " + SshShell.human(startTimeout)
                        + "; it was stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new TransportException("interrupted while starting " + what, e);
        }
    }

    /** Hands over a last line without a line end, once the program has ended. */
    final void finishOutput() {
        output.out.finish();
        output.err.finish();
    }

    @Override
    public final String firstLine() {
        return output.line();
    }

    @Override
    public final String stdout() {
        return output.out.text();
    }

    @Override
    public final String stderr() {
        return output.err.text();
    }

    @Override
    public final String describe() {
        return what;
    }
}
