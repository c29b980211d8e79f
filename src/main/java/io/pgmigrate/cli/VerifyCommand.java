package io.pgmigrate.cli;

import io.pgmigrate.app.LiveVerifyService;
import io.pgmigrate.app.VerifyService;
import io.pgmigrate.core.PgMigrateException;
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

/**
 * {@code pgmigrate verify PLAN}: the cluster now against the baseline execute took; {@code pgmigrate verify
 * --live}: the inventory's source and target, both running, against each other. A report to sign off.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        customSynopsis = {"pgmigrate verify [-i INVENTORY] PLAN", "   or: pgmigrate verify --live [-i INVENTORY] [-o DIR]"},
        description = {"Compare the cluster as it is now with the baseline execute took from the old cluster (row"
                + " counts, planner statistics, schema, smoke queries, data fingerprints when on) and write the report"
                + " (NAME.verify.md/.json beside the plan).",
                "With --live: compare the inventory's two running clusters, source (blue) and target (green, at"
                        + " target.port; strategy logical), measured at the same time; rows whose data differ are"
                        + " named by key. Report NAME.verify-live.md/.json in DIR.",
                "Exit 0 passed, 5 a check failed, 2 bad input or a cluster cannot be reached."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAN",
            description = "The NAME.plan.json that was executed (not with --live).")
    Path planFile;

    @Option(names = {"-i", "--inventory"}, defaultValue = "pgmigrate.yaml",
            description = "Inventory file (default: ${DEFAULT-VALUE}).")
    Path inventory;

    @Option(names = "--live", description = "Compare the inventory's source and target, both running, with each other"
            + " instead of a baseline (strategy logical: blue and green).")
    boolean live;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "With --live: directory for the report (default: plans).")
    Path output;

    @Override
    public Integer call() {
        TransportOptions transport = TransportOptions.defaults().withAcceptNewHostKey(global.acceptNewHostKey);
        VerifyService.Outcome o;
        if (live) {
            if (planFile != null) {
                throw PgMigrateException.badInput("verify --live compares the inventory's two running clusters and"
                        + " takes no PLAN (" + planFile + "); drop one or the other");
            }
            o = new LiveVerifyService(Clock.systemUTC()).verify(new LiveVerifyService.Request(inventory,
                    output == null ? Path.of("plans") : output, transport), spec.commandLine().getOut());
        } else {
            if (planFile == null) {
                throw PgMigrateException.badInput("verify needs the executed PLAN (NAME.plan.json), or --live to"
                        + " compare the inventory's source and target while both run");
            }
            if (output != null) {
                throw PgMigrateException.badInput("-o is for verify --live; the report of verify PLAN goes beside "
                        + planFile);
            }
            o = new VerifyService(Clock.systemUTC()).verify(new VerifyService.Request(planFile, inventory, transport),
                    spec.commandLine().getOut());
        }
        return Summary.print(spec, o.summary(), o.exitCode());
    }
}
