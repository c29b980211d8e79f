package io.pgmigrate.transport;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.pgmigrate.inventory.Inventory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs programs on a host over SSH. Each argument list becomes one command line through
 * {@link ShellQuoting#join} (the remote login shell must be a POSIX shell, as sh, bash, dash and zsh
 * are); with {@code become} it is {@code sudo -n -u USER -- argv…}. stdin is empty unless bytes are given for it
 * (sent over the channel, never on the command line), stdout and stderr
 * are captured in full (UTF-8), or streamed line by line to an {@link OutputListener} with the last
 * 1 MiB of each kept. One SSH connection serves all commands and is re-opened when it was
 * lost or found frozen (see {@link SshConnection}); a command that may have run is never sent again.
 *
 * <p>Timeouts are enforced on both ends: when the host has GNU {@code timeout} (any Linux), the
 * program runs under {@code timeout -k 5 T+2s}, so it ends even if the connection drops or sshd
 * refuses signals (it does for root logins); when the deadline passes here, the program is sent
 * SIGTERM over the channel, the channel is closed and a {@link TransportException} names host and
 * program. A program killed by a signal has no exit status: {@link CommandResult#exitCode()} is then -1.
 */
public final class SshShell implements HostShell {
    /** The host-side timeout fires this long after ours, so that ours reports first. */
    private static final long HOST_TIMEOUT_GRACE_SECONDS = 2;
    /** timeout -k: SIGKILL this long after SIGTERM on the host. */
    private static final long HOST_KILL_AFTER_SECONDS = 5;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final SshConnection connection;
    private final String become;
    private final boolean ownsConnection;

    /** A shell with its own connection, closed with the shell. */
    public SshShell(Inventory.Host host, TransportOptions options) {
        this(SshConnection.to(host, options), host.become(), true);
    }

    /** A shell over a shared connection, which the caller closes. */
    public SshShell(SshConnection connection, String become) {
        this(connection, become, false);
    }

    private SshShell(SshConnection connection, String become, boolean ownsConnection) {
        this.connection = connection;
        this.become = become == null || become.isBlank() ? null : become;
        this.ownsConnection = ownsConnection;
    }

    /** The argument list the host runs: argv, or sudo -n -u USER -- argv (not when USER is the login user). */
    List<String> withBecome(List<String> argv) {
        return Become.wrap(become, connection.user(), argv);
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout, OutputListener.NONE, Long.MAX_VALUE);
    }

    /** Sends the bytes over the channel as the program's stdin (on a thread of its own), then EOF. */
    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) {
        return run(argv, java.util.Objects.requireNonNull(stdin, "stdin"), timeout, OutputListener.NONE, Long.MAX_VALUE);
    }

    /**
     * Streams each line to the listener as it arrives over the channel (from JSch's session thread);
     * the result keeps the last 1 MiB per stream.
     */
    @Override
    public CommandResult run(List<String> argv, Duration timeout, OutputListener listener) {
        return run(argv, null, timeout, listener, STREAMED_KEEP_BYTES);
    }

    private CommandResult run(List<String> argv, byte[] stdin, Duration timeout, OutputListener listener, long keep) {
        String program = acquireChannel(argv);
        try {
            List<String> bounded = connection.hostHasTimeout(this::probeTimeoutProgram) ? withHostTimeout(argv, timeout) : argv;
            return runOnChannel(program, ShellQuoting.join(withBecome(bounded)), stdin, timeout, listener, keep);
        } finally {
            connection.channels().release();
        }
    }

    /** Takes one of the connection's channels (waiting for a free one); returns the program's name. */
    private String acquireChannel(List<String> argv) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("empty command for " + describe());
        }
        String program = argv.get(0);
        try {
            connection.channels().acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted before running '" + program + "' on " + describe(), e);
        }
        return program;
    }

    /**
     * Starts argv on an exec channel whose stdin stays open until {@link HeldCommand#close()}, not under the host-side
     * timeout: it ends when it reads EOF, which sshd also gives it when this connection drops (pgmigrate died or the
     * network broke). It holds one of the connection's channels while it runs.
     */
    @Override
    public HeldCommand hold(List<String> argv, Duration startTimeout) {
        String program = acquireChannel(argv);
        HeldOutput output = new HeldOutput();
        Opened opened;
        try {
            opened = start(program, ShellQuoting.join(withBecome(argv)), output.out, output.err);
        } catch (RuntimeException e) {
            connection.channels().release();
            throw e;
        }
        Held held = new Held("'" + program + "' on " + describe(), opened, output);
        held.awaitStart(startTimeout);
        if (!held.alive() && held.awaitEnd(Duration.ZERO)) {
            try {
                checkSudo(program, new CommandResult(held.exitCode(), held.stdout(), held.stderr()));
            } catch (TransportException e) {
                held.close();
                throw e;
            }
        }
        return held;
    }

    /** A held program on an exec channel: its stdin is the channel's data from us. */
    private final class Held extends AbstractHeld {
        private final Session session;
        private final ChannelExec channel;
        private boolean closed;

        Held(String what, Opened opened, HeldOutput output) {
            super(what, output);
            this.session = opened.session();
            this.channel = opened.channel();
        }

        /** A closed channel has delivered everything the program wrote. */
        @Override
        boolean outputEnded() {
            return !alive();
        }

        @Override
        public boolean alive() {
            return !channel.isClosed() && session.isConnected();
        }

        @Override
        public boolean awaitEnd(Duration timeout) {
            try {
                if (!awaitClose(channel, session, timeout.toMillis())) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive();
            }
            finishOutput();
            return true;
        }

        @Override
        public int exitCode() {
            if (alive()) {
                throw new IllegalStateException(describe() + " still runs");
            }
            return channel.getExitStatus();
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            try {
                closeStdin(channel);
                if (!awaitEnd(Duration.ofMillis(HeldOutput.CLOSE_WAIT_MILLIS))) {
                    signal(channel, "TERM");
                    awaitEnd(Duration.ofSeconds(2));
                }
            } finally {
                channel.disconnect();
                connection.channels().release();
            }
        }
    }

    /** argv under GNU timeout on the host: TERM a little after our own deadline, KILL 5 seconds later. */
    static List<String> withHostTimeout(List<String> argv, Duration timeout) {
        long seconds = (timeout.toMillis() + 999) / 1000 + HOST_TIMEOUT_GRACE_SECONDS;
        List<String> full = new ArrayList<>(List.of("timeout", "-k", HOST_KILL_AFTER_SECONDS + "s", seconds + "s"));
        full.addAll(argv);
        return full;
    }

    /** Whether the host has timeout(1) for the login user (asked once per host). */
    private boolean probeTimeoutProgram() {
        CommandResult r = runOnChannel("command", "command -v timeout", null, PROBE_TIMEOUT, OutputListener.NONE, Long.MAX_VALUE);
        return r.ok() && !r.stdout().isBlank();
    }

    private CommandResult runOnChannel(String program, String line, byte[] stdin, Duration timeout, OutputListener listener,
            long keep) {
        Object lock = new Object();
        LineCapture out = new LineCapture(listener::onStdout, lock, keep);
        LineCapture err = new LineCapture(listener::onStderr, lock, keep);
        Opened opened = start(program, line, out, err);
        ChannelExec channel = opened.channel();
        Session session = opened.session();
        Thread feed = null;
        try {
            if (stdin == null || stdin.length == 0) {
                closeStdin(channel);
            } else {
                feed = feed(channel, stdin, program);
            }
            if (!awaitClose(channel, session, timeout.toMillis())) {
                throw new TransportException("'" + program + "' on " + describe() + " did not finish within "
                        + human(timeout) + "; " + stop(channel, session).text);
            }
            if (!session.isConnected() && channel.getExitStatus() == -1) {
                connection.markBroken(session);
                throw new TransportException("SSH connection to " + connection.describe() + " was lost while '" + program
                        + "' ran; it may or may not have finished there (check the host, then retry)");
            }
            out.finish();
            err.finish();
            CommandResult result = new CommandResult(channel.getExitStatus(), out.text(), err.text());
            checkSudo(program, result);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(channel, session);
            throw new TransportException("interrupted while running '" + program + "' on " + describe(), e);
        } finally {
            channel.disconnect();
            if (feed != null) {
                // a write blocked on the channel's window fails once the channel is closed
                feed.interrupt();
            }
        }
    }

    /** An exec channel whose command the host accepted, and the session it runs on. */
    private record Opened(Session session, ChannelExec channel) {
    }

    /**
     * Opens an exec channel and sends the command line. A channel the host did not open within
     * {@link SshConnection#channelOpenMillis()} ran nothing: the connection is marked broken and the opening is
     * tried once more on a new connection. A command the host did not confirm may have started: that is never sent
     * again (the caller decides), and the connection is marked broken too.
     */
    private Opened start(String program, String line, java.io.OutputStream out, java.io.OutputStream err) {
        Session session = connection.session();
        for (int attempt = 1; ; attempt++) {
            ChannelExec channel;
            try {
                channel = (ChannelExec) session.openChannel("exec");
            } catch (JSchException e) {
                // the session is down: nothing was sent
                connection.markBroken(session);
                if (attempt == 1) {
                    session = connection.session();
                    continue;
                }
                throw new TransportException("cannot open an SSH channel on " + describe() + " for '" + program + "': "
                        + SshConnection.oneLine(e) + " (check the connection to the host)", e);
            }
            channel.setCommand(line.getBytes(StandardCharsets.UTF_8));
            channel.setOutputStream(out, true);
            channel.setErrStream(err, true);
            int limit = connection.channelOpenMillis();
            long begun = System.nanoTime();
            try {
                channel.connect(limit);
                return new Opened(session, channel);
            } catch (JSchException e) {
                channel.disconnect();
                String why = SshConnection.oneLine(e);
                boolean notOpened = why.equals("channel is not opened.") || why.equals("session is down");
                boolean unanswered = !session.isConnected() || System.nanoTime() - begun >= limit * 1_000_000L;
                if (notOpened && unanswered) {
                    connection.markBroken(session);
                    if (attempt == 1) {
                        session = connection.session();
                        continue;
                    }
                    throw new TransportException("cannot start '" + program + "' on " + describe() + ": the host did not"
                            + " open a channel within " + human(Duration.ofMillis(limit)) + ", on a new connection either"
                            + " (check the host's load and the network)", e);
                }
                if (why.equals("channel request: timeout")) {
                    connection.markBroken(session);
                    throw new TransportException("'" + program + "' on " + describe() + ": the host did not confirm the"
                            + " command within " + human(Duration.ofMillis(limit)) + "; it may or may not have started there"
                            + " (check the host, then retry)", e);
                }
                throw new TransportException("cannot start '" + program + "' on " + describe() + ": " + why
                        + " (check the SSH connection and the server's MaxSessions)", e);
            }
        }
    }

    /**
     * Sends EOF on the program's stdin. (An input stream given to JSch would be pumped by a thread
     * that JSch starts after the exec request, racing with a program that already ended: an NPE.)
     */
    private static void closeStdin(ChannelExec channel) {
        try {
            channel.getOutputStream().close();
        } catch (java.io.IOException e) {
            // the channel is closed already: the program has ended
        }
    }

    /**
     * Writes the bytes to the program's stdin over the channel and sends EOF, on a daemon thread of its own: a
     * write waits for the remote window, which a program that does not read (yet) never opens, and the deadline
     * must still hold. A program that ended before reading it all closes the channel; the rest is dropped.
     */
    private static Thread feed(ChannelExec channel, byte[] bytes, String program) {
        Thread t = new Thread(() -> {
            try (java.io.OutputStream in = channel.getOutputStream()) {
                in.write(bytes);
            } catch (java.io.IOException e) {
                // the channel is closed: the program has ended
            }
        }, "pgmigrate-" + program + "-stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until the remote program ended (channel closed) or the time is up; true if it ended. */
    private static boolean awaitClose(ChannelExec channel, Session session, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long pause = 2;
        while (!channel.isClosed() && session.isConnected()) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.min(pause, left));
            pause = Math.min(pause * 2, 100);
        }
        return true;
    }

    /** How a program whose deadline passed was left. */
    private enum Stopped {
        STOPPED("it was stopped (raise the timeout if it needs longer)"),
        SIGNALLED("it was sent SIGTERM and its channel closed (raise the timeout if it needs longer)"),
        NO_ANSWER("the host gave no answer over SSH either, so it may still run there; pgmigrate connects anew for the"
                + " next command (check the host and the network)");

        final String text;

        Stopped(String text) {
            this.text = text;
        }
    }

    /**
     * SIGTERM to the remote process group (sshd refuses this for root logins, where the host-side
     * timeout does it), SIGKILL if it lingers. A host that does not even answer a channel request (a frozen sshd or
     * network) is not waited for: the connection is marked broken.
     */
    private Stopped stop(ChannelExec channel, Session session) {
        try {
            // asked first: a signal waits for the host's reply as long as a channel may take to open
            if (!channel.isClosed() && !connection.answers(session, Duration.ofMillis(connection.channelOpenMillis()))) {
                return Stopped.NO_ANSWER;
            }
            signal(channel, "TERM");
            if (awaitClose(channel, session, (HOST_TIMEOUT_GRACE_SECONDS + 3) * 1000)) {
                return Stopped.STOPPED;
            }
            signal(channel, "KILL");
            return awaitClose(channel, session, 1000) ? Stopped.STOPPED : Stopped.SIGNALLED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Stopped.SIGNALLED;
        }
    }

    private static void signal(ChannelExec channel, String name) {
        try {
            channel.sendSignal(name);
        } catch (Exception e) {
            // the channel is gone already; closing it is all that is left
        }
    }

    /** sudo -n that could not run the program at all is a setup problem, not a program failure. */
    private void checkSudo(String program, CommandResult result) {
        if (become == null || become.equals(connection.user()) || result.exitCode() != 1) {
            return;
        }
        String first = result.stderr().strip().lines().findFirst().orElse("");
        if (!first.startsWith("sudo: ")) {
            return;
        }
        String hint;
        if (first.contains("password is required") || first.contains("not in the sudoers")
                || first.contains("not allowed to")) {
            hint = "allow " + connection.user() + " to run commands as " + become
                    + " without a password (a NOPASSWD rule in sudoers), or log in as " + become + " and drop become";
        } else if (first.contains("unknown user")) {
            hint = "check become in the inventory";
        } else {
            return;
        }
        throw new TransportException("sudo on " + connection.describe() + " refused to run '" + program + "' as " + become
                + ": " + first.substring("sudo: ".length()) + " (" + hint + ")");
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        if (s < 120) {
            return s + "s";
        }
        return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
    }

    @Override
    public String describe() {
        return become == null ? connection.describe() : connection.describe() + " (as " + become + ")";
    }

    /** The connection this shell runs over. */
    public SshConnection connection() {
        return connection;
    }

    @Override
    public void close() {
        if (ownsConnection) {
            connection.close();
        }
    }
}
