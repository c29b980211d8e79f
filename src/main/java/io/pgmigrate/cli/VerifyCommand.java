package io.pgmigrate.cli;

import io.pgmigrate.app.VerifyService;
import io.pgmigrate.transport.TransportOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code pgmigrate verify PLAN}: the cluster now against the baseline execute took; a report to sign off. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare the cluster as it is now with the baseline execute took from the old cluster (row counts,"
                + " planner statistics, smoke queries) and write the report (NAME.verify.md/.json beside the plan)."
                + " Exit 5 when a check failed.")
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    ExecutionOptions execution;

    @Override
    public Integer call() {
        VerifyService.Outcome o = new VerifyService(Clock.systemUTC()).verify(new VerifyService.Request(
                execution.planFile, execution.inventory,
                TransportOptions.defaults().withAcceptNewHostKey(global.acceptNewHostKey)), spec.commandLine().getOut());
        return Summary.print(spec, o.summary(), o.exitCode());
    }
}
