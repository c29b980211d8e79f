package io.pgmigrate.cli;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;

/**
 * Business-logic exceptions become one line on stderr and their fixed exit code; a stack trace only
 * with {@code --debug}. Bad arguments are one line too, with where to find help.
 */
final class ErrorHandling {
    private ErrorHandling() {
    }

    static void install(CommandLine cl) {
        cl.setExecutionExceptionHandler(ErrorHandling::onExecutionException);
        cl.setParameterExceptionHandler(ErrorHandling::onParameterException);
    }

    private static int onExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = parsed.hasMatchedOption("--debug")
                || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
        int code;
        if (ex instanceof PgMigrateException pe) {
            err.println("pgmigrate: " + oneLine(pe.getMessage()));
            code = pe.exitCode().code();
        } else {
            err.println("pgmigrate: internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(ex.getMessage())
                    + (debug ? "" : " (rerun with --debug for details)"));
            code = ExitCode.INTERNAL_ERROR.code();
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static int onParameterException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("pgmigrate: " + oneLine(ex.getMessage()) + " (see '" + cl.getCommandSpec().qualifiedName()
                + " --help')");
        err.flush();
        return ExitCode.BAD_INPUT.code();
    }

    static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        return message.replace('\r', ' ').replace('\n', ' ').strip();
    }
}
