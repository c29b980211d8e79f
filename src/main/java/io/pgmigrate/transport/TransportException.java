package io.pgmigrate.transport;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;

/** A host or server could not be reached or refused us; the message names it and says what to do. */
public class TransportException extends PgMigrateException {
    public TransportException(String message) {
        super(ExitCode.BAD_INPUT, message);
    }

    public TransportException(String message, Throwable cause) {
        super(ExitCode.BAD_INPUT, message, cause);
    }
}
