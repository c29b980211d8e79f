package io.pgmigrate.execute;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.transport.HeldCommand;
import io.pgmigrate.transport.HostShell;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One execution of a plan at a time, decided on the database host itself: whichever controller (or copy of the plan)
 * runs it, they all meet at {@code WORKDIR/execution.lock} there. The lock is a {@code flock} held by a small shell on
 * the host ({@link HostLockScripts#LOCK}, run through {@link HostShell#hold}) for as long as pgmigrate keeps that
 * shell's stdin open; when pgmigrate ends, however it ends (closed, crashed, SIGKILLed, its SSH connection lost), the
 * shell reads EOF and ends, and the kernel releases the lock. Beside it, {@code execution.lock.holder} records who
 * holds it, or held it last: controller host, user and pid, plan digest, since when, and the holding shell's pid on
 * the host (which {@code breakLock} kills when the user says that controller is gone for good).
 *
 * <p>Nothing there that another user could have planted is trusted: the work directory must be the login user's and
 * not writable by others, nor a symbolic link (it is created mode 0700 when missing; {@link
 * io.pgmigrate.transport.PrivateDirectory}), and the lock and holder files must be that user's regular files, not
 * symbolic links. This is checked before any step runs.
 */
public final class HostLock implements AutoCloseable {
    /** Who holds the lock: the controller's host, OS user and pid, the plan's digest, and since when. */
    public record Holder(String controllerHost, String controllerUser, long controllerPid, String planDigest,
                         Instant since) {
        /** This process, now, executing the plan with this digest. */
        public static Holder thisProcess(String planDigest) {
            return new Holder(Controller.host(), System.getProperty("user.name"), ProcessHandle.current().pid(),
                    planDigest, Instant.now());
        }
    }

    /** The lock file's name in the work directory. */
    public static final String FILE = "execution.lock";
    /** How long the host may take to answer; breaking a lock waits up to 10 s for the old holder to end. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final HeldCommand held;
    private final String where;

    private HostLock(HeldCommand held, String where) {
        this.held = held;
        this.where = where;
    }

    /**
     * Takes the lock in workDir (absolute; created mode 0700 if missing) on the shell's host. Throws
     * {@link PgMigrateException} ({@link ExitCode#BAD_INPUT}) naming the holder when someone holds it, unless
     * breakLock: then the holder's process on the host is killed and the lock taken. Says on out when it took over
     * from a holder that had ended, or broke one.
     */
    public static HostLock acquire(HostShell shell, String workDir, Holder me, boolean breakLock, PrintWriter out) {
        if (workDir == null || !workDir.startsWith("/")) {
            throw new IllegalArgumentException("the lock's work directory must be an absolute path: " + workDir);
        }
        String dir = workDir.length() > 1 && workDir.endsWith("/") ? workDir.substring(0, workDir.length() - 1) : workDir;
        String host = shell.describe();
        String where = host + ":" + dir + "/" + FILE;
        List<String> argv = new ArrayList<>(List.of("sh", "-c", HostLockScripts.LOCK, HostLockScripts.NAME, dir,
                oneLine(me.controllerHost()), oneLine(me.controllerUser()), Long.toString(me.controllerPid()),
                oneLine(me.planDigest()), me.since().toString(), breakLock ? "1" : "0"));
        HeldCommand held = shell.hold(argv, START_TIMEOUT);
        String first = held.firstLine();
        if (first == null) {
            held.awaitEnd(Duration.ofSeconds(5));
            String err = held.stderr().strip();
            String last = err.isEmpty() ? "no answer" : err.substring(err.lastIndexOf('\n') + 1).strip();
            int exit = held.alive() ? -1 : held.exitCode();
            held.close();
            throw new PgMigrateException(ExitCode.BAD_INPUT, "cannot take the execution lock " + where + ": " + last
                    + " (exit " + exit + ")");
        }
        HostLockScripts.Answer a = HostLockScripts.Answer.parse(first);
        switch (a.status()) {
            case "LOCKED" -> {
                if (!a.record().isEmpty() && !sameController(a, me)) {
                    out.println("took over the execution lock on " + host + ": its last holder (" + a.get("controllerHost")
                            + " pid " + a.get("controllerPid") + ", since " + a.get("since") + ") has ended");
                    out.flush();
                }
                return new HostLock(held, where);
            }
            case "BROKEN" -> {
                out.println("broke the execution lock on " + host + ": it was held " + holder(a) + "; its process "
                        + a.get("hostPid") + " there was ended");
                out.flush();
                return new HostLock(held, where);
            }
            default -> {
                held.close();
                throw refusal(a, where);
            }
        }
    }

    private static PgMigrateException refusal(HostLockScripts.Answer a, String where) {
        return switch (a.status()) {
            case "HELD" -> new PgMigrateException(ExitCode.BAD_INPUT, "this plan is being executed right now "
                    + (a.record().isEmpty() ? "by a holder that left no record" : holder(a)) + "; lock " + where
                    + ". Wait for it (pgmigrate status), or if that controller is gone for good, run again with --break-lock");
            case "REFUSED" -> new PgMigrateException(ExitCode.BAD_INPUT, "cannot take the execution lock " + where + ": "
                    + io.pgmigrate.transport.PrivateDirectory.untrusted(a.field(0), a.field(1)));
            case "ERROR" -> new PgMigrateException(ExitCode.BAD_INPUT, "cannot take the execution lock " + where + ": "
                    + a.field(0));
            default -> new PgMigrateException(ExitCode.BAD_INPUT, "cannot take the execution lock " + where
                    + ": unexpected answer from the host '" + a.status() + "'");
        };
    }

    /** "from HOST by USER (pid N, plan DIGEST, since T)". */
    private static String holder(HostLockScripts.Answer a) {
        return "from " + a.get("controllerHost") + " by " + a.get("controllerUser") + " (pid " + a.get("controllerPid")
                + ", plan " + a.get("planDigest") + ", since " + a.get("since") + ")";
    }

    /** The record is this controller's own (an earlier lock of this same process): no news for the user. */
    private static boolean sameController(HostLockScripts.Answer a, Holder me) {
        return a.get("controllerHost").equals(oneLine(me.controllerHost()))
                && a.get("controllerPid").equals(Long.toString(me.controllerPid()));
    }

    /** A holder field as one line without tabs (the record is one key=value per line; the answer tab-separated). */
    static String oneLine(String value) {
        String v = value == null || value.isBlank() ? "?" : value.strip();
        return v.replaceAll("[\\t\\r\\n]+", " ");
    }

    /** Whether the lock is still held: false once its shell on the host ended (or its SSH connection was lost). */
    public boolean held() {
        return held.alive();
    }

    /** "HOST:WORKDIR/execution.lock", for messages. */
    public String describe() {
        return where;
    }

    /** Releases the lock: EOF to the holding shell, which ends (the holder file stays, naming the last holder). */
    @Override
    public void close() {
        held.close();
    }
}
