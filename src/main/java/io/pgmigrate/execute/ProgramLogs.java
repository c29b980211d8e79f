package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * When a program fails, what its own log says: pg_upgrade prints little more than "Failure, exiting" and keeps the
 * reason in pg_upgrade_output.d; pg_ctl start keeps it in the server log. The end of the newest log files is printed
 * for the DBA, and the line that says what went wrong is put into the step's failure.
 */
public final class ProgramLogs {
    /** Newest three files named like $2 under $1, the last 20 lines of each under a header. Constant: nothing pasted. */
    private static final String SCRIPT = "[ -d \"$1\" ] || exit 0; find \"$1\" -type f -name \"$2\" -printf '%T@ %p\\n'"
            + " 2>/dev/null | sort -rn | head -n 3 | cut -d' ' -f2- | while IFS= read -r f; do"
            + " printf '==> %s <==\\n' \"$f\"; tail -n 20 -- \"$f\"; done";
    private static final Pattern TELLING = Pattern.compile("(?i)\\b(error|fatal|panic|failed|failure)\\b");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ProgramLogs() {
    }

    /**
     * Prints the end of the program's logs and returns "; its log FILE says: LINE" for the failure message ("" when
     * there is none or it cannot be read).
     */
    public static String show(ExecutionContext ctx, HostShell sh, Action.Logs logs) {
        if (logs == null) {
            return "";
        }
        CommandResult r;
        try {
            r = sh.run(List.of("sh", "-c", SCRIPT, "pgmigrate-logs", logs.directory(), logs.namePattern()), TIMEOUT);
        } catch (TransportException e) {
            return "; its log under " + logs.directory() + " could not be read (" + e.getMessage() + ")";
        }
        if (!r.ok() || r.stdout().isBlank()) {
            return "";
        }
        String file = null;
        String fileOfTelling = null;
        String telling = null;
        for (String line : r.stdout().lines().toList()) {
            if (line.startsWith("==> ") && line.endsWith(" <==")) {
                file = line.substring(4, line.length() - 4);
                ctx.out().println("      log " + file + ":");
                continue;
            }
            ctx.out().println("      log | " + line);
            if (telling == null && TELLING.matcher(line).find() && !line.isBlank()) {
                telling = line.strip();
                fileOfTelling = file;
            }
        }
        ctx.out().flush();
        return telling == null ? "; see its log under " + logs.directory()
                : "; its log " + fileOfTelling + " says: " + telling;
    }
}
