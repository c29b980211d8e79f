package io.pgmigrate.transport;

import java.time.Duration;
import java.util.List;

/**
 * Runs programs on one host from argument lists: locally, or over SSH (quoted by
 * {@link ShellQuoting}, never pasted unquoted). With {@code become}, every program runs as that
 * OS user through {@code sudo -n -u}. A program's stdin is empty unless given as bytes, which never go on a
 * command line.
 */
public interface HostShell extends AutoCloseable {
    /** Runs argv, waits at most timeout, returns its exit code and output; throws {@link TransportException} when it cannot run it. */
    CommandResult run(List<String> argv, Duration timeout);

    /**
     * Runs argv like {@link #run(List, Duration)} with these bytes on its standard input, then EOF: the way to
     * hand a program data that must not appear on a command line (file contents, secrets), where any local user
     * could read it ({@code ps}, {@code /proc/PID/cmdline}). Bytes the program does not read are dropped.
     */
    CommandResult run(List<String> argv, byte[] stdin, Duration timeout);

    /** How much of each stream a streamed {@link #run(List, Duration, OutputListener)} keeps in its result. */
    long STREAMED_KEEP_BYTES = 1024 * 1024;

    /**
     * Runs argv like {@link #run(List, Duration)}, handing each line of stdout and stderr to the
     * listener as it arrives. The listener sees all output; the result keeps only the last
     * {@link #STREAMED_KEEP_BYTES} (1 MiB) of each stream, starting at a line. This default runs
     * the program to its end first and then replays its output, for shells that cannot stream.
     */
    default CommandResult run(List<String> argv, Duration timeout, OutputListener listener) {
        CommandResult r = run(argv, timeout);
        r.stdout().lines().forEach(listener::onStdout);
        r.stderr().lines().forEach(listener::onStderr);
        return r;
    }

    /**
     * Starts argv with a stdin that stays open until {@link HeldCommand#close()}, and returns once it wrote its first
     * line to stdout or ended; throws {@link TransportException} when it cannot be started, or when it did neither
     * within startTimeout (it is then stopped). The program is not bounded by a timeout: it runs until it ends on its
     * own or reads EOF on stdin, which it also gets when pgmigrate dies (its pipe or SSH channel closes), however
     * it dies. With {@code become}, it runs through {@code sudo -n -u} as every other program.
     */
    default HeldCommand hold(List<String> argv, Duration startTimeout) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot hold a program open");
    }

    /** Whether the path exists on the host, as this shell's user sees it ({@code test -e}). */
    default boolean exists(String path, Duration timeout) {
        return run(List.of("test", "-e", path), timeout).ok();
    }

    /** "local" or "user@host:port", for messages. */
    String describe();

    @Override
    void close();
}
