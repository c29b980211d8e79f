package io.pgmigrate.cli;

import io.pgmigrate.app.ExecuteService;
import io.pgmigrate.transport.TransportOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code pgmigrate execute PLAN}: run exactly the reviewed plan, or with {@code --dry-run} check it and print it. */
@Command(name = "execute", mixinStandardHelpOptions = true,
        description = "Run exactly the reviewed plan, journaled and resumable, rolling back on failure before the point of no return. Refuses a plan changed after plan wrote it (its digest no longer matches) or stale; with --expect-digest, any plan but the approved one. With --dry-run:"
                + " re-check everything read-only, run pg_upgrade --check on a scratch cluster, print every step.")
public final class ExecuteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "PLAN", description = "The NAME.plan.json that plan wrote.")
    Path planFile;

    @Option(names = {"-i", "--inventory"}, defaultValue = "pgmigrate.yaml", description = "Inventory file (default: ${DEFAULT-VALUE}).")
    Path inventory;

    @Option(names = "--dry-run", description = "Change nothing: run the read-only checks for real and print every step.")
    boolean dryRun;

    @Option(names = "--retry-step", paramLabel = "STEP", description = "After a failure past the point of no return whose"
            + " cause you repaired: run this failed step again (its earlier run on the host is cleared).")
    String retryStep;

    @Option(names = "--break-lock", description = "Take the execution lock on the database host from a holder you"
            + " know is gone for good (its controller crashed and cannot come back); its process there is stopped.")
    boolean breakLock;

    @Option(names = "--expect-digest", paramLabel = "sha256:HEX", description = "The digest printed in the plan you"
            + " reviewed and approved: any other plan (even one whose digest was recomputed after an edit) is refused,"
            + " exit 6, before anything is touched. Recommended for the maintenance window.")
    String expectDigest;

    @Override
    public Integer call() {
        ExecuteService.Outcome outcome = new ExecuteService(Clock.systemUTC()).execute(new ExecuteService.Request(
                planFile, inventory, dryRun, TransportOptions.defaults().withAcceptNewHostKey(global.acceptNewHostKey),
                retryStep, breakLock, expectDigest), spec.commandLine().getOut());
        return Summary.print(spec, outcome.summary(), outcome.exitCode());
    }
}
