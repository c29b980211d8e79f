package io.pgmigrate.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A long-running program on a host whose outcome survives a dropped SSH connection or a killed
 * pgmigrate: it runs in its own session ({@code setsid}, SIGHUP ignored as by {@code nohup}, stdin
 * {@code /dev/null}) and leaves its traces in a state directory on the host:
 * <ul>
 * <li>{@code NAME.started}: created exclusively by the one {@link #start} that launched it;</li>
 * <li>{@code NAME.pid}: "PID STARTTIME" of the wrapper shell, which leads the program's process group;</li>
 * <li>{@code NAME.out}: stdout and stderr, appended;</li>
 * <li>{@code NAME.rc}: the exit status, written to a temporary file and renamed when the program ended.</li>
 * </ul>
 * The state directory is created mode 0700 when missing, and refused when it is a symbolic link, not the
 * user's own or writable by others ({@link PrivateDirectory}); the program itself runs with the shell's
 * umask. The host needs {@code setsid} (util-linux) and {@code base64} (coreutils). Everything goes through {@link HostShell#run} as argument lists: the shell code is a
 * constant script and every variable (paths, name, argv) is a positional argument of {@code sh -c}.
 * Command lines are visible to other users of the host ({@code ps}): never put a secret in argv.
 *
 * <p>{@link #start} never launches a name twice: when it was started before (running, finished or
 * lost), it returns that state instead; {@link #forget} removes the traces for a deliberate rerun.
 * Status must be asked as the same OS user that started it. A host that kills a closed login
 * session's processes (systemd-logind {@code KillUserProcesses=yes}) defeats the detachment.
 *
 * <p>One instance remembers how much of the output file it has handed to a listener, so repeated
 * {@link #await} calls continue where the last one stopped; a new instance starts from the beginning.
 */
public final class DetachedCommand {
    /** Where a detached program stands. */
    public enum State { NOT_STARTED, RUNNING, FINISHED, LOST }

    /** The state, with the exit status when FINISHED (-1 otherwise). */
    public record Status(State state, int exitCode) {
        public static final Status NOT_STARTED = new Status(State.NOT_STARTED, -1);
        public static final Status RUNNING = new Status(State.RUNNING, -1);
        public static final Status LOST = new Status(State.LOST, -1);

        public static Status finished(int exitCode) {
            return new Status(State.FINISHED, exitCode);
        }

        @Override
        public String toString() {
            return state == State.FINISHED ? "FINISHED(" + exitCode + ")" : state.name();
        }
    }

    /** What {@link #start} did: launched it now, or found it started before (in the state given). */
    public record Started(boolean now, Status status) {
    }

    /**
     * The host did not answer a verb (the connection was lost, or the host froze past the verb's time): whether it
     * acted is unknown. Asking again is safe, {@link #start} included, which never launches a name twice. A host that
     * answered with an error is a plain {@link TransportException}.
     */
    public static final class Unanswered extends TransportException {
        Unanswered(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(30);
    private static final long CHUNK = 1024 * 1024;
    /** Polls start fast (short steps end within the first second) and slow down to this. */
    private static final long POLL_MILLIS = 500;
    private static final long FIRST_POLL_MILLIS = 50;

    private final HostShell shell;
    private final String stateDir;
    private final String name;
    private final DetachedOutput output = new DetachedOutput();

    private DetachedCommand(HostShell shell, String stateDir, String name) {
        if (stateDir == null || !stateDir.startsWith("/")) {
            throw new IllegalArgumentException("state directory must be an absolute path: " + stateDir);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("detached command name must be letters, digits, '_', '.', '-': " + name);
        }
        this.shell = shell;
        this.stateDir = stateDir;
        this.name = name;
    }

    /** The detached command NAME with its traces in stateDir (an absolute path) on the shell's host. */
    public static DetachedCommand on(HostShell shell, String stateDir, String name) {
        return new DetachedCommand(shell, stateDir, name);
    }

    /**
     * Launches argv in workDir (absolute) unless this name was started before, and returns once the
     * program runs (or already ended). Throws {@link TransportException} when the host cannot do it.
     */
    public Started start(List<String> argv, String workDir) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("empty command for detached '" + name + "' on " + shell.describe());
        }
        if (workDir == null || !workDir.startsWith("/")) {
            throw new IllegalArgumentException("working directory must be an absolute path: " + workDir);
        }
        List<String> extra = new ArrayList<>(List.of(workDir, DetachedScripts.WRAPPER));
        extra.addAll(argv);
        Reply reply = control("start", 0, extra, argv.get(0));
        return new Started(reply.launched(), reply.status());
    }

    /** Where it stands now. */
    public Status status() {
        return control("status", 0, List.of(), null).status();
    }

    /**
     * Polls until the program finished (or is LOST or NOT_STARTED) or the timeout passed, handing
     * each new line of its output file to the listener (all as stdout). Returns the last status:
     * RUNNING means the timeout passed.
     */
    public Status await(Duration timeout, OutputListener listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_POLL_MILLIS;
        while (true) {
            Reply reply = control("status", output.offset(), List.of(), null);
            output.accept(reply, listener);
            Status s = reply.status();
            if (s.state() != State.RUNNING) {
                if (!reply.moreOutput()) {
                    output.finish(listener);
                    return s;
                }
                continue;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return s;
            }
            if (reply.moreOutput()) {
                continue;
            }
            try {
                Thread.sleep(Math.min(pause, left));
                pause = Math.min(POLL_MILLIS, pause * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted while waiting for detached '" + name + "' on " + shell.describe(), e);
            }
        }
    }

    /** Sends SIGTERM to its process group when it runs; returns the status seen just before. */
    public Status stop() {
        return control("stop", 0, List.of(), null).status();
    }

    /** Removes its traces (not while it runs), so that the name can be started again. */
    public void forget() {
        Status s = control("forget", 0, List.of(), null).status();
        if (s.state() == State.RUNNING) {
            throw new TransportException("detached '" + name + "' on " + shell.describe()
                    + " is still running; stop it before forgetting it");
        }
    }

    /** The name's files in the state directory, without extension. */
    public String path() {
        return stateDir + "/" + name;
    }

    private Reply control(String verb, long offset, List<String> extra, String program) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", DetachedScripts.CONTROL, "pgmigrate-detached", verb,
                stateDir, name, Long.toString(offset), Long.toString(CHUNK)));
        argv.addAll(extra);
        String what = program == null ? "detached '" + name + "'" : "'" + program + "' (detached '" + name + "')";
        CommandResult r;
        try {
            r = shell.run(argv, CONTROL_TIMEOUT);
        } catch (TransportException e) {
            throw new Unanswered(e.getMessage(), e);
        }
        if (!r.ok()) {
            throw new TransportException("cannot " + verb + " " + what + " on " + shell.describe() + ": "
                    + r.lastErrorLine() + " (exit " + r.exitCode() + ")");
        }
        try {
            return Reply.parse(r.stdout(), offset);
        } catch (IllegalArgumentException e) {
            throw new TransportException("cannot " + verb + " " + what + " on " + shell.describe()
                    + ": unexpected answer from the host (" + e.getMessage() + ")", e);
        }
    }

    /** One answer of the control script: header "LAUNCH STATE EXIT SIZE TOTAL", then output bytes from the offset. */
    record Reply(boolean launched, Status status, long size, long total, byte[] chunk) {
        static Reply parse(String stdout, long offset) {
            int nl = stdout.indexOf('\n');
            if (nl < 0) {
                throw new IllegalArgumentException("no header");
            }
            String[] h = stdout.substring(0, nl).trim().split(" +");
            if (h.length != 5) {
                throw new IllegalArgumentException("header '" + stdout.substring(0, nl) + "'");
            }
            State state;
            try {
                state = State.valueOf(h[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("state '" + h[1] + "'");
            }
            Status status = state == State.FINISHED ? Status.finished(parseInt(h[2])) : new Status(state, -1);
            byte[] chunk = java.util.Base64.getMimeDecoder().decode(stdout.substring(nl + 1));
            long size = Long.parseLong(h[3]);
            if (size - offset != chunk.length && !(size <= offset && chunk.length == 0)) {
                throw new IllegalArgumentException(chunk.length + " output bytes where " + (size - offset) + " were announced");
            }
            return new Reply("started".equals(h[0]), status, size, Long.parseLong(h[4]), chunk);
        }

        private static int parseInt(String s) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("exit status '" + s + "'");
            }
        }

        /** Whether the output file has more than this answer carried. */
        boolean moreOutput() {
            return total > size;
        }
    }
}
