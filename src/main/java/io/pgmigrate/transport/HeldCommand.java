package io.pgmigrate.transport;

import java.time.Duration;

/**
 * A program started by {@link HostShell#hold} that runs for as long as pgmigrate keeps its stdin open: it learns that
 * pgmigrate is gone (closed, crashed, killed, or its SSH connection lost) from EOF on stdin, as {@code cat >/dev/null}
 * does. Output is kept in full; the handle is for programs that say little (a status line), not for bulk output.
 */
public interface HeldCommand extends AutoCloseable {
    /** The first line the program wrote to stdout, without the line end; null when it ended without one. */
    String firstLine();

    /** Whether the program still runs (as far as this side can tell: a lost SSH connection counts as ended). */
    boolean alive();

    /** Waits at most timeout for the program to end; true when it has ended. */
    boolean awaitEnd(Duration timeout);

    /** The exit status once it has ended; -1 when it was killed by a signal or the connection was lost. */
    int exitCode();

    /** Everything it wrote to stdout so far. */
    String stdout();

    /** Everything it wrote to stderr so far. */
    String stderr();

    /** "'program' on HOST", for messages. */
    String describe();

    /**
     * Closes its stdin (EOF) and waits a few seconds for it to end; a program still running then is stopped
     * (SIGTERM). Idempotent.
     */
    @Override
    void close();
}
