package io.pgmigrate.transport;

import java.time.Duration;
import java.util.List;

/**
 * A directory of pgmigrate's own on a host (the plan's work directory, the detached steps' state directory, green's
 * work directory, a temporary directory): created mode 0700 when missing, and trusted only when it is a directory (not
 * a symbolic link) owned by the OS user pgmigrate runs as there and writable by nobody else. Whatever pgmigrate later
 * runs or believes from such a directory (pg_upgrade's scripts, a detached step's exit status) cannot have been
 * planted by another local user.
 *
 * <p>{@link #FUNCTION} is the one shell function every script that makes or enters such a directory uses
 * ({@code private_dir DIR [create]}); {@link #ensure} and {@link #check} run it on their own.
 */
public final class PrivateDirectory {
    /**
     * {@code private_dir DIR [create]}: returns 0 when DIR is absent (only without {@code create}) or is a directory
     * owned by the shell's user that neither its group nor others can write; 1 when it is not (the reason in
     * {@code $pd_why}, e.g. "is owned by nobody, not by postgres"); 2 when {@code create} was asked and it cannot be
     * made. Missing, it is made mode 0700 ({@code mkdir -p}: missing parents get the shell's umask).
     */
    public static final String FUNCTION = """
            private_dir() {
              pd_me=$(id -un)
              if [ "$2" = create ] && [ ! -e "$1" ] && [ ! -L "$1" ]; then
                mkdir -p -m 700 -- "$1" 2>/dev/null || { pd_why="cannot be created as $pd_me"; return 2; }
              fi
              if [ -L "$1" ]; then pd_why="is a symbolic link"
              elif [ ! -e "$1" ]; then return 0
              elif [ ! -d "$1" ]; then pd_why="is not a directory"
              elif [ ! -O "$1" ]; then pd_why="is owned by $(stat -c %U -- "$1" 2>/dev/null || echo another user), not by $pd_me"
              else
                case $(ls -ld -- "$1") in
                  ?????w*|????????w*) pd_why="is writable by users other than $pd_me" ;;
                  *) return 0 ;;
                esac
              fi
              return 1
            }
            """;

    /** Runs the function once: prints "$pd_why" and exits with its status when it is not 0. Args: DIR [create]. */
    private static final String RUN = FUNCTION + """
            umask 077
            private_dir "$1" "$2"
            r=$?
            [ "$r" -eq 0 ] || printf '%s\\n' "$pd_why"
            exit "$r"
            """;

    private PrivateDirectory() {
    }

    /** The argument list that creates the directory (0700) when missing and checks it: exit 0 when it can be trusted. */
    public static List<String> ensureArgv(String dir) {
        return List.of("sh", "-c", RUN, "pgmigrate-dir", dir, "create");
    }

    /**
     * Creates the directory (0700) when missing and checks it. Returns null when it can be trusted, else one line
     * naming the host and path, why not, and what to do.
     */
    public static String ensure(HostShell sh, String dir, Duration timeout) {
        return answer(sh, dir, sh.run(ensureArgv(dir), timeout));
    }

    /** As {@link #ensure}, without creating it: an absent directory is fine. */
    public static String check(HostShell sh, String dir, Duration timeout) {
        return answer(sh, dir, sh.run(List.of("sh", "-c", RUN, "pgmigrate-dir", dir, "exists"), timeout));
    }

    private static String answer(HostShell sh, String dir, CommandResult r) {
        if (r.ok()) {
            return null;
        }
        String why = r.stdout().strip();
        if (r.exitCode() == 1 && !why.isEmpty()) {
            return untrusted(sh.describe() + ":" + dir, why);
        }
        return sh.describe() + ":" + dir + " " + (why.isEmpty() ? "cannot be made or checked: " + r.lastErrorLine()
                : why) + " (exit " + r.exitCode() + ")";
    }

    /** "WHERE REASON, and pgmigrate trusts nothing there …": the one wording of a refused directory or file. */
    public static String untrusted(String where, String reason) {
        return where + " " + reason + ", and pgmigrate trusts nothing there that another user could have planted"
                + " (check it and remove it, or choose another work directory)";
    }
}
