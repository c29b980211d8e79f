package io.pgmigrate.testing;

import io.pgmigrate.journal.JournalEvent;
import io.pgmigrate.plan.Step;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run of pgmigrate did with the step an earlier run was killed in or just after, read from the run's console
 * and the journal events it appended: the words the kill matrix (docs/kill-matrix.md) uses.
 */
public final class KillOutcome {
    public static final String SKIPPED = "skipped it as done";
    public static final String SNAPSHOT_AGAIN = "took the held snapshot again";
    public static final String FOUND_DONE = "found it done on the host";
    public static final String STARTED = "started its program (it had never started)";
    public static final String ATTACHED = "attached to its program";
    public static final String RAN_AGAIN = "ran it again (retry-safe)";
    public static final String ABANDONED = "abandoned the cutover it was in, then ran it again";
    /** pgmigrate's words when a detached step's program is found started by an earlier run. */
    public static final String ATTACHING = "(attached to this execution's run of it started earlier";

    private KillOutcome() {
    }

    public static String of(Step step, String console, List<JournalEvent> events) {
        String id = step.id();
        if (console.contains("  again  " + id + ":")) {
            return SNAPSHOT_AGAIN;
        }
        if (console.contains("  done   " + id + " (in an earlier run)")) {
            return SKIPPED;
        }
        boolean undone = events.stream().anyMatch(e -> e instanceof JournalEvent.StepUndone && id.equals(e.step()));
        if (console.contains("abandoning it first") && undone && console.contains("  run    " + id + ":")) {
            return ABANDONED;
        }
        if (events.stream().anyMatch(e -> e instanceof JournalEvent.StepFinished f && f.step().equals(id)
                && f.foundDone())) {
            return FOUND_DONE;
        }
        String resume = line(console, "  resume " + id + " was interrupted: ");
        if (resume != null && resume.contains("its program never started")) {
            return STARTED;
        }
        if (resume != null && resume.contains("attaching to it")) {
            return ATTACHED;
        }
        if (resume == null && step.retrySafe() && console.contains("  run    " + id + ":")) {
            return RAN_AGAIN + (attached(id, console) ? ", " + ATTACHED : "");
        }
        return "UNEXPECTED: " + (resume != null ? resume : "neither skipped nor run again");
    }

    /** Whether the run of the step in this console attached to a program an earlier run had started. */
    public static boolean attached(String id, String console) {
        int run = console.lastIndexOf("  run    " + id + ":");
        if (run < 0) {
            return false;
        }
        int next = console.indexOf("\n  run    ", run + 1);
        return console.substring(run, next < 0 ? console.length() : next).contains(ATTACHING);
    }

    private static String line(String text, String prefix) {
        int at = text.indexOf(prefix);
        if (at < 0) {
            return null;
        }
        int end = text.indexOf('\n', at);
        return text.substring(at + prefix.length(), end < 0 ? text.length() : end);
    }

    /**
     * A killed run's execution lock on the database host is freed once its shell there read EOF: waits (up to 10 s)
     * until nothing holds it, so that the next run does not find it held.
     */
    public static void awaitLockFree(Path workDir) throws InterruptedException {
        Path lock = workDir.resolve("execution.lock");
        for (int i = 0; i < 100 && Files.exists(lock); i++) {
            if (OsUser.run(List.of("flock", "-n", lock.toString(), "true"), true).exitCode() == 0) {
                return;
            }
            Thread.sleep(100);
        }
    }
}
