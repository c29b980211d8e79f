package io.pgmigrate.cli;

import io.pgmigrate.app.RecoveryService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code pgmigrate cleanup PLAN}: delete the old cluster once the execution completed and the new one serves. */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = "Delete the old cluster's data files (the plan's cleanup phase), only after the execution of"
                + " the plan completed and while the new cluster serves. There is no way back to the old cluster after this.")
public final class CleanupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    ExecutionOptions execution;

    @Override
    public Integer call() {
        RecoveryService.Outcome o = new RecoveryService().cleanup(execution.request(global), spec.commandLine().getOut());
        return Summary.print(spec, o.summary(), o.exitCode());
    }
}
