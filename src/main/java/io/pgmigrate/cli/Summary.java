package io.pgmigrate.cli;

import io.pgmigrate.core.ExitCode;
import picocli.CommandLine.Model.CommandSpec;

/** How a command ends: its one-line summary on standard output, and its exit code. */
final class Summary {
    private Summary() {
    }

    static int print(CommandSpec spec, String summary, ExitCode code) {
        spec.commandLine().getOut().println(summary);
        spec.commandLine().getOut().flush();
        return code.code();
    }
}
