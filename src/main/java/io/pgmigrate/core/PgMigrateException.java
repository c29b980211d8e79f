package io.pgmigrate.core;

/**
 * An expected failure with a one-line message meant for the user and a fixed exit code.
 * The message names the key, file, object or host, says what is wrong and what to do.
 * Anything else that escapes is an internal error (exit 1).
 */
public class PgMigrateException extends RuntimeException {
    private final ExitCode exitCode;

    public PgMigrateException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public PgMigrateException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static PgMigrateException badInput(String message) {
        return new PgMigrateException(ExitCode.BAD_INPUT, message);
    }
}
