package io.pgmigrate.inspect;

import io.pgmigrate.facts.RehearsalFacts.RestoreError;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the errors out of pg_restore's and psql's stderr and says which object each belongs to. */
public final class RestoreErrors {
    /** "pg_restore: from TOC entry 217; 1259 16386 TABLE t postgres": dump id; class oid, oid, desc, tag, owner. */
    private static final Pattern TOC = Pattern.compile("^pg_restore: from TOC entry \\d+; \\d+ \\d+ (.+) (\\S+)$");
    private static final Pattern PG_RESTORE_ERROR = Pattern.compile("^pg_restore: error: (?:could not execute query: )?(.*)$");
    /** 'relation "public.v" does not exist': what a statement about an object that failed to be created says. */
    private static final Pattern MISSING = Pattern.compile("^(?:relation|view|function|type) \"(.+)\" does not exist$");
    /** "psql:/tmp/x/roles.sql:12: ERROR:  role "x" already exists". */
    private static final Pattern PSQL_ERROR = Pattern.compile("^psql:[^:]*:(\\d+): ERROR:\\s+(.*)$");

    private RestoreErrors() {
    }

    /**
     * Errors of a pg_restore run for one database, each named by the statement that failed ("Command was:"),
     * or by the TOC entry where pg_restore names one. An error that only follows from an earlier failure
     * (the OWNER TO of a view that could not be created) is left out: the first one is the cause.
     */
    public static List<RestoreError> ofPgRestore(String database, String stderr) {
        List<RestoreError> out = new ArrayList<>();
        List<String> failedStatements = new ArrayList<>();
        String toc = null;
        String pending = null;
        for (String line : stderr.split("\n")) {
            Matcher t = TOC.matcher(line);
            Matcher err = PG_RESTORE_ERROR.matcher(line);
            if (t.matches()) {
                toc = t.group(1) + " (owner " + t.group(2) + ")";
            } else if (err.matches()) {
                pending = add(out, failedStatements, database, toc, pending, null);
                pending = err.group(1).replaceFirst("^ERROR:\\s+", "");
            } else if (line.startsWith("Command was: ") && pending != null) {
                pending = add(out, failedStatements, database, toc, pending, line.substring("Command was: ".length()));
                toc = null;
            }
        }
        add(out, failedStatements, database, toc, pending, null);
        return out;
    }

    /** Records an error unless it is the consequence of an earlier one; returns null (nothing pending). */
    private static String add(List<RestoreError> out, List<String> failedStatements, String database, String toc,
                              String error, String command) {
        if (error == null) {
            return null;
        }
        Matcher missing = MISSING.matcher(error);
        if (missing.matches() && failedStatements.stream().anyMatch(c -> c.contains(" " + missing.group(1)))) {
            return null;
        }
        String statement = command == null ? null : command.strip().replaceFirst("\\s+AS$", "").replaceFirst(";$", "");
        if (statement != null) {
            failedStatements.add(statement);
        }
        String object = toc != null ? toc : statement != null ? abbreviate(statement) : "(statement not shown)";
        out.add(new RestoreError(database, object, error));
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** Errors of psql running the roles script; "role … already exists" for the install user is expected. */
    public static List<RestoreError> ofRoles(String stderr, String installUser) {
        List<RestoreError> out = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            Matcher m = PSQL_ERROR.matcher(line);
            if (m.matches() && !m.group(2).equals("role \"" + installUser + "\" already exists")) {
                out.add(new RestoreError("(roles)", "roles script line " + m.group(1), m.group(2)));
            }
        }
        return out;
    }
}
