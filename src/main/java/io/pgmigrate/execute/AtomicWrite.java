package io.pgmigrate.execute;

import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A file written on a host atomically (a temporary file beside it, renamed into place) with a mode, its contents
 * sent on the program's stdin: the command line, which any local user can read ({@code ps}, {@code /proc}), holds
 * only the path and the mode.
 */
public final class AtomicWrite {
    /** stdin into $1 with mode $2, through $1.pgmigrate-tmp; only the owner can read the temporary file. */
    static final String SCRIPT = "umask 077; cat > \"$1.pgmigrate-tmp\" && chmod \"$2\" \"$1.pgmigrate-tmp\""
            + " && mv -f \"$1.pgmigrate-tmp\" \"$1\"";

    private AtomicWrite() {
    }

    /** The argument list that writes stdin to path with mode. */
    static List<String> argv(String path, String mode) {
        return List.of("sh", "-c", SCRIPT, "sh", path, mode);
    }

    /** Writes content (UTF-8) to path on the host with mode; the result of the write as the host ran it. */
    public static CommandResult write(HostShell sh, String path, String mode, String content, Duration timeout) {
        return sh.run(argv(path, mode), content.getBytes(StandardCharsets.UTF_8), timeout);
    }
}
