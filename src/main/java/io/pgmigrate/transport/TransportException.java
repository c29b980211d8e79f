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

    /** The server's SQLSTATE when the server refused a statement ({@code XX002}: index corrupted), else null. */
    public String sqlState() {
        for (Throwable c = getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.sql.SQLException e && e.getSQLState() != null) {
                return e.getSQLState();
            }
        }
        return null;
    }
}
