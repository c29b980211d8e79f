package io.pgmigrate.cli;

import picocli.CommandLine;

/** Entry point of the {@code pgmigrate} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // notices (a host key added with --accept-new-host-key, say) as one line each: "pgmigrate: INFO: ..."
        System.setProperty("java.util.logging.SimpleFormatter.format", "pgmigrate: %4$s: %5$s%6$s%n");
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line, also used by tests (picocli's "Testing Your Application"). */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new PgMigrateCommand());
        ErrorHandling.install(cl);
        return cl;
    }
}
