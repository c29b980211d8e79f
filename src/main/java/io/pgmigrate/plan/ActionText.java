package io.pgmigrate.plan;

import java.util.List;
import java.util.stream.Collectors;

/** How an action reads in the Markdown plan: commands as a shell would show them, SQL as SQL. */
final class ActionText {
    private ActionText() {
    }

    static String describe(Action action) {
        if (action instanceof Action.RunCommand c) {
            return command(c);
        }
        if (action instanceof Action.RunSql q) {
            return "On " + q.endpoint().name().toLowerCase() + ", database `" + q.database() + "`:\n\n"
                    + "```sql\n" + q.sql() + "\n```\n";
        }
        if (action instanceof Action.WaitFor w) {
            return "Wait until: " + w.condition().name().toLowerCase().replace('_', ' ')
                    + (w.endpoint() == null ? "" : " (" + w.endpoint().name().toLowerCase() + ")")
                    + (w.argv().isEmpty() ? "" : ": `" + shellLine(w.argv()) + "`") + "\n";
        }
        if (action instanceof Action.Check k) {
            return "Check `" + k.check() + "`: " + k.expected() + "\n";
        }
        if (action instanceof Action.WriteFile f) {
            return "Write `" + f.path() + "` (mode " + f.mode() + "):\n\n```\n" + f.content()
                    + (f.content().endsWith("\n") ? "" : "\n") + "```\n";
        }
        if (action instanceof Action.Verify v && v.stage() == Action.Verify.Stage.SNAPSHOT) {
            return "Verification snapshot: one exported snapshot per database, held for the data comparison\n";
        }
        if (action instanceof Action.Verify v) {
            return "Verification " + v.stage().name().toLowerCase() + ": " + (v.scope() == Action.Verify.Scope.CATALOG
                    ? "the schema of every database (objects, definitions, owners, privileges)"
                    : "row counts " + v.rowCounts() + (v.fingerprints() ? ", data fingerprints" : "")
                    + (v.statistics() ? ", planner statistics" : "") + ", smoke queries")
                    + "\n";
        }
        throw new IllegalArgumentException("unknown action " + action.getClass().getSimpleName());
    }

    private static String command(Action.RunCommand c) {
        StringBuilder sb = new StringBuilder();
        if (c.onlyIfFile() != null) {
            sb.append("Only if `").append(c.onlyIfFile()).append("` exists:\n\n");
        }
        sb.append("```sh\n");
        if (c.workDir() != null) {
            sb.append("cd ").append(quote(c.workDir())).append(" &&\n");
        }
        c.env().forEach((k, v) -> sb.append(k).append('=').append(quote(v)).append(' '));
        sb.append(shellLine(c.argv())).append("\n```\n");
        return sb.toString();
    }

    /** For display only (the transport does its own quoting): arguments with unsafe characters in single quotes. */
    static String shellLine(List<String> argv) {
        return argv.stream().map(ActionText::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }
}
