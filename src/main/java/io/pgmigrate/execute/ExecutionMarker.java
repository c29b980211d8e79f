package io.pgmigrate.execute;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which execution is underway on the database host, recorded there beside the execution lock
 * ({@code WORKDIR/execution}): its id, the plan's digest, the controller that began it and its journal. The lock keeps
 * two runs apart at one moment; this keeps two journals apart over time. A second copy of the plan (another
 * directory, another controller) has a journal of its own that knows nothing of what the first one did on the host:
 * it must not begin a new execution there while the first one's is underway. Written when an execution begins,
 * removed when it is over (rolled back or cleaned up).
 */
public final class ExecutionMarker {
    public static final String FILE = "execution";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What the host says is underway. */
    public record Underway(String execution, String planDigest, String controller, String journal) {
        String describe() {
            return "execution " + execution + " of plan " + planDigest + ", begun from " + controller + " (journal "
                    + journal + ")";
        }
    }

    private final HostShell shell;
    private final String path;

    public ExecutionMarker(HostShell shell, String workDir) {
        this.shell = shell;
        this.path = workDir + "/" + FILE;
    }

    /** What the host records as underway; null when nothing is. */
    public Underway read() {
        CommandResult r = shell.run(List.of("cat", "--", path), TIMEOUT);
        if (!r.ok()) {
            return null;
        }
        Map<String, String> v = new LinkedHashMap<>();
        r.stdout().lines().forEach(l -> {
            int eq = l.indexOf('=');
            if (eq > 0) {
                v.put(l.substring(0, eq), l.substring(eq + 1));
            }
        });
        return v.containsKey("execution") ? new Underway(v.get("execution"), v.get("digest"), v.get("controller"),
                v.get("journal")) : null;
    }

    /**
     * Refuses when the host has another execution underway than {@code ours} (the journal's own, or null when the
     * journal holds none that is underway).
     */
    public void refuseOther(String ours, String journal) {
        Underway there = read();
        if (there != null && !there.execution().equals(ours)) {
            throw new PgMigrateException(ExitCode.STALE_PLAN, shell.describe() + " records " + there.describe()
                    + " as underway, and the journal " + journal + " does not hold it. Run pgmigrate where that"
                    + " execution was begun, with its journal (or copy that journal beside this plan); if it is over"
                    + " for good, remove " + path + " on the host. Nothing was changed");
        }
    }

    public void write(Underway u) {
        String content = "execution=" + oneLine(u.execution()) + "\ndigest=" + oneLine(u.planDigest())
                + "\ncontroller=" + oneLine(u.controller()) + "\njournal=" + oneLine(u.journal()) + "\n";
        CommandResult r = AtomicWrite.write(shell, path, "0600", content, TIMEOUT);
        if (!r.ok()) {
            throw new PgMigrateException(ExitCode.STEP_FAILED, "cannot record the execution on " + shell.describe()
                    + " (" + path + "): " + r.lastErrorLine() + ". Nothing was changed");
        }
    }

    /** The execution is over: nothing is underway any more. */
    public void remove() {
        shell.run(List.of("rm", "-f", "--", path), TIMEOUT);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
