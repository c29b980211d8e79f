package io.pgmigrate.transport;

/**
 * Receives a program's output line by line while it runs (without the line end). Calls are
 * serialised per command, so an implementation need not be thread-safe, but they may come from a
 * thread other than the caller's. A listener must return quickly: output waits while it runs.
 */
public interface OutputListener {
    /** Ignores everything. */
    OutputListener NONE = new OutputListener() {
        @Override
        public void onStdout(String line) {
        }

        @Override
        public void onStderr(String line) {
        }
    };

    /** One line the program wrote to stdout. */
    void onStdout(String line);

    /** One line the program wrote to stderr. */
    void onStderr(String line);
}
