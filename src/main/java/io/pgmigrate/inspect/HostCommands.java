package io.pgmigrate.inspect;

import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs read-only programs on one host for inspection, always through {@code env LC_ALL=C} so that their
 * output is parseable. Failures become one-line exceptions naming the host and the program.
 */
final class HostCommands {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** env's exit codes for a program it could not find or not execute. */
    private static final int NOT_FOUND = 127;
    private static final int NOT_EXECUTABLE = 126;

    private final HostShell shell;

    HostCommands(HostShell shell) {
        this.shell = shell;
    }

    String host() {
        return shell.describe();
    }

    /** Runs the program with C locale; the caller looks at the exit code. */
    CommandResult run(String program, String... args) {
        List<String> argv = new ArrayList<>(List.of("env", "LC_ALL=C", program));
        argv.addAll(List.of(args));
        return shell.run(argv, TIMEOUT);
    }

    /** Whether the test(1) expression holds on the host. */
    boolean test(String... expression) {
        return run("test", expression).ok();
    }

    /** Runs a system program that must succeed; returns its stdout. */
    String output(String program, String... args) {
        CommandResult r = run(program, args);
        if (!r.ok()) {
            throw new TransportException("'" + program + " " + String.join(" ", args) + "' failed on " + host()
                    + " (exit " + r.exitCode() + "): " + r.lastErrorLine());
        }
        return r.stdout();
    }

    /**
     * Runs a PostgreSQL program from a bin directory named in the inventory; a missing program is the
     * inventory's fault (exit 2), naming the key to fix.
     */
    String pgProgram(String inventoryKey, String binDir, String program, String... args) {
        String path = binDir + "/" + program;
        CommandResult r = run(path, args);
        if (r.exitCode() == NOT_FOUND || r.exitCode() == NOT_EXECUTABLE) {
            throw PgMigrateException.badInput(inventoryKey + " " + binDir + " on " + host() + " has no runnable "
                    + program + " (" + r.lastErrorLine() + "): set " + inventoryKey
                    + " to the bin directory of that PostgreSQL installation");
        }
        if (!r.ok()) {
            throw new TransportException("'" + path + " " + String.join(" ", args) + "' failed on " + host()
                    + " (exit " + r.exitCode() + "): " + r.lastErrorLine());
        }
        return r.stdout();
    }
}
