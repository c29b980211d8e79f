package io.pgmigrate.cli;

import io.pgmigrate.app.RecoveryService;
import io.pgmigrate.transport.TransportOptions;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** The plan and inventory that rollback and cleanup act on (the ones execute was given). */
final class ExecutionOptions {
    @Parameters(index = "0", paramLabel = "PLAN", description = "The NAME.plan.json that was executed.")
    Path planFile;

    @Option(names = {"-i", "--inventory"}, defaultValue = "pgmigrate.yaml", description = "Inventory file (default: ${DEFAULT-VALUE}).")
    Path inventory;

    @Option(names = "--break-lock", description = "Take the execution lock on the database host from a holder"
            + " you know is gone for good (its controller crashed and cannot come back); its process there is stopped.")
    boolean breakLock;

    RecoveryService.Request request(GlobalOptions global) {
        return new RecoveryService.Request(planFile, inventory,
                TransportOptions.defaults().withAcceptNewHostKey(global.acceptNewHostKey), breakLock);
    }
}
