package io.pgmigrate.cli;

import io.pgmigrate.core.ToolVersion;
import picocli.CommandLine.Command;

/** {@code pgmigrate}: the verbs. */
@Command(name = "pgmigrate", mixinStandardHelpOptions = true,
        versionProvider = PgMigrateCommand.Version.class,
        description = "Upgrades a PostgreSQL cluster to a new major version: plan, execute, verify.",
        subcommands = {PlanCommand.class, ExecuteCommand.class, VerifyCommand.class, StatusCommand.class,
                RollbackCommand.class, CleanupCommand.class, DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success (plan: ready)", "1:internal error", "2:bad input (inventory, arguments, plan file)",
                "3:pre-check blockers", "4:a step failed", "5:verification failed", "6:stale, changed or unapproved plan"})
public final class PgMigrateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"pgmigrate " + ToolVersion.current()};
        }
    }
}
