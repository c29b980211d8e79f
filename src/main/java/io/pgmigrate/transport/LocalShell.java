package io.pgmigrate.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs on this machine ({@code host: local}) straight from the argument list, no shell.
 * With {@code become}, through {@code sudo -n -u USER --}.
 */
public final class LocalShell implements HostShell {
    private final String become;

    public LocalShell(String become) {
        this.become = become;
    }

    /** The argument list actually executed: argv, or sudo -n -u USER -- argv. */
    List<String> withBecome(List<String> argv) {
        return Become.wrap(become, System.getProperty("user.name"), argv);
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout, OutputListener.NONE, Long.MAX_VALUE);
    }

    /** Writes the bytes to the program's stdin on a thread of its own (the pumps drain its output meanwhile), then EOF. */
    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) {
        return run(argv, java.util.Objects.requireNonNull(stdin, "stdin"), timeout, OutputListener.NONE, Long.MAX_VALUE);
    }

    /** Streams each line to the listener as the program writes it; the result keeps the last 1 MiB per stream. */
    @Override
    public CommandResult run(List<String> argv, Duration timeout, OutputListener listener) {
        return run(argv, null, timeout, listener, STREAMED_KEEP_BYTES);
    }

    private CommandResult run(List<String> argv, byte[] stdin, Duration timeout, OutputListener listener, long keep) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("empty command for " + describe());
        }
        List<String> full = withBecome(argv);
        Process p;
        try {
            p = new ProcessBuilder(full).start();
        } catch (IOException e) {
            throw new TransportException("cannot run '" + argv.get(0) + "' on this machine: " + e.getMessage(), e);
        }
        Object lock = new Object();
        LineCapture out = new LineCapture(listener::onStdout, lock, keep);
        LineCapture err = new LineCapture(listener::onStderr, lock, keep);
        try {
            Thread feed = null;
            if (stdin == null || stdin.length == 0) {
                p.getOutputStream().close();
            } else {
                feed = feed(p.getOutputStream(), stdin, argv.get(0) + "-stdin");
            }
            Thread outPump = pump(p.getInputStream(), out, argv.get(0) + "-stdout");
            Thread errPump = pump(p.getErrorStream(), err, argv.get(0) + "-stderr");
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                if (feed != null) {
                    feed.interrupt();
                }
                throw new TransportException("'" + argv.get(0) + "' on this machine did not finish within " + timeout.toSeconds() + " s");
            }
            outPump.join();
            errPump.join();
            if (feed != null) {
                // the program ended: its stdin pipe is broken if it did not read everything, which ends the feed
                // (unless a child it left behind holds the pipe open; the daemon thread is then left to it)
                feed.join(5000);
            }
            return new CommandResult(p.exitValue(), out.text(), err.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while running '" + argv.get(0) + "'", e);
        }
    }

    /**
     * Starts argv with its stdin a pipe that this JVM keeps open until {@link HeldCommand#close()}: when the JVM ends,
     * however it ends, the kernel closes the pipe and the program reads EOF.
     */
    @Override
    public HeldCommand hold(List<String> argv, Duration startTimeout) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("empty command for " + describe());
        }
        String program = argv.get(0);
        Process p;
        try {
            p = new ProcessBuilder(withBecome(argv)).start();
        } catch (IOException e) {
            throw new TransportException("cannot run '" + program + "' on this machine: " + e.getMessage(), e);
        }
        HeldOutput output = new HeldOutput();
        Thread outPump = pump(p.getInputStream(), output.out, program + "-stdout");
        Thread errPump = pump(p.getErrorStream(), output.err, program + "-stderr");
        Held held = new Held("'" + program + "' on this machine", p, output, outPump, errPump);
        held.awaitStart(startTimeout);
        return held;
    }

    /** A held local program: its stdin is the pipe this JVM holds. */
    private static final class Held extends AbstractHeld {
        private final Process process;
        private final Thread outPump;
        private final Thread errPump;
        private boolean closed;

        Held(String what, Process process, HeldOutput output, Thread outPump, Thread errPump) {
            super(what, output);
            this.process = process;
            this.outPump = outPump;
            this.errPump = errPump;
        }

        @Override
        boolean outputEnded() {
            return !outPump.isAlive();
        }

        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public boolean awaitEnd(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    return false;
                }
                // its output is complete once the pipes are drained (unless a child it left holds them)
                outPump.join(1000);
                errPump.join(1000);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }

        @Override
        public int exitCode() {
            if (process.isAlive()) {
                throw new IllegalStateException(describe() + " still runs");
            }
            return process.exitValue();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // it has ended and closed its end already
            }
            if (!awaitEnd(Duration.ofMillis(HeldOutput.CLOSE_WAIT_MILLIS))) {
                process.destroy();
                if (!awaitEnd(Duration.ofSeconds(2))) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /**
     * Writes the bytes to the program's stdin and closes it, on its own daemon thread, so that a program that
     * writes before it reads (or never reads) cannot deadlock us. A program that exits without reading it all
     * breaks the pipe; the rest is dropped.
     */
    private static Thread feed(java.io.OutputStream in, byte[] bytes, String name) {
        Thread t = new Thread(() -> {
            try (in) {
                in.write(bytes);
            } catch (IOException e) {
                // the program closed its stdin or ended: what it did not read is dropped
            }
        }, "pgmigrate-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Copies a stream into a capture on its own daemon thread, flushing the last partial line at the end. */
    private static Thread pump(InputStream in, LineCapture capture, String name) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(capture);
            } catch (IOException e) {
                // the process is gone; what arrived is kept
            } finally {
                capture.finish();
            }
        }, "pgmigrate-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public String describe() {
        return become == null ? "local" : "local (as " + become + ")";
    }

    @Override
    public void close() {
        // nothing held open
    }
}
