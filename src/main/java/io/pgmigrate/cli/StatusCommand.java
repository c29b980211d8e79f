package io.pgmigrate.cli;

import io.pgmigrate.app.StatusService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code pgmigrate status PLAN}: where the execution of a plan stands, from its journal. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show where the execution of a plan stands, from its journal (touches no server).")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "PLAN", description = "The NAME.plan.json that was executed.")
    Path planFile;

    @Override
    public Integer call() {
        StatusService.Report r = StatusService.report(planFile);
        spec.commandLine().getOut().println(r.headline());
        r.steps().forEach(l -> spec.commandLine().getOut().println("  " + l));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
