package io.pgmigrate.transport;

import java.time.Duration;
import java.util.List;

/**
 * Runs programs on one host from argument lists: locally, or over SSH (quoted by
 * {@link ShellQuoting}, never pasted unquoted). With {@code become}, every program runs as that
 * OS user through {@code sudo -n -u}.
 */
public interface HostShell extends AutoCloseable {
    /** Runs argv, waits at most timeout, returns its exit code and output; throws {@link TransportException} when it cannot run it. */
    CommandResult run(List<String> argv, Duration timeout);

    /** "local" or "user@host:port", for messages. */
    String describe();

    @Override
    void close();
}
