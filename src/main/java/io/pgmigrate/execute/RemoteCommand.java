package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;

import java.util.ArrayList;
import java.util.List;

/**
 * A plan's {@link Action.RunCommand} as the argument list the host runs: working directory, environment
 * and the only-if-file condition expressed with a constant {@code sh} script whose variable parts are
 * positional arguments (so the transport's quoting covers every one of them).
 */
final class RemoteCommand {
    /**
     * cd "$1" unless it is empty; optionally run only when "$2" exists; then exec the rest. Constant:
     * nothing is pasted in. Without a work directory there is no cd at all: the directory the command
     * starts in (pgmigrate's own, or the SSH user's home) may be one the become user cannot enter.
     */
    private static final String SCRIPT = "if [ -n \"$1\" ]; then cd \"$1\" || exit 125; fi;"
            + " if [ -n \"$2\" ] && [ ! -e \"$2\" ]; then"
            + " echo \"skipped: $2 does not exist\"; exit 0; fi; shift 2; exec \"$@\"";

    private RemoteCommand() {
    }

    static List<String> argv(Action.RunCommand c) {
        boolean plain = c.workDir() == null && c.onlyIfFile() == null;
        List<String> out = new ArrayList<>();
        if (!c.env().isEmpty()) {
            out.add("env");
            c.env().forEach((k, v) -> out.add(k + "=" + v));
        }
        if (plain) {
            out.addAll(c.argv());
            return out;
        }
        out.addAll(List.of("sh", "-c", SCRIPT, "sh", c.workDir() == null ? "" : c.workDir(),
                c.onlyIfFile() == null ? "" : c.onlyIfFile()));
        out.addAll(c.argv());
        return out;
    }
}
