package io.pgmigrate.cli;

import io.pgmigrate.app.RecoveryService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code pgmigrate rollback PLAN}: back to the running old cluster, while the point of no return is not crossed. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Return to the running old cluster from wherever the execution of a plan stopped, failed or"
                + " was killed, as long as its point of no return was not crossed; otherwise change nothing and say why.")
public final class RollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    ExecutionOptions execution;

    @Option(names = "--discard-new-writes", description = "In place with --copy or --clone only: go back to the old"
            + " cluster (intact until cleanup) also past the point of no return, losing every write the new cluster"
            + " accepted; the new cluster is stopped and removed.")
    boolean discardNewWrites;

    @Override
    public Integer call() {
        RecoveryService.Request request = execution.request(global);
        RecoveryService.Outcome o = new RecoveryService().rollback(new RecoveryService.Request(request.planFile(),
                request.inventory(), request.transport(), request.breakLock(), discardNewWrites),
                spec.commandLine().getOut());
        return Summary.print(spec, o.summary(), o.exitCode());
    }
}
