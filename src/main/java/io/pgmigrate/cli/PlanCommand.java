package io.pgmigrate.cli;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.app.PlanService;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.transport.TransportOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pgmigrate plan}: inspect the source read-only and write the plan for review. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Inspect the source cluster (read-only), run every pre-check and write NAME.plan.json and NAME.plan.md.")
public final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = {"-i", "--inventory"}, defaultValue = "pgmigrate.yaml", description = "Inventory file (default: ${DEFAULT-VALUE}).")
    Path inventory;

    @Option(names = {"-o", "--output"}, defaultValue = "plans", description = "Directory for the plan files (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--no-rehearsal",
            description = "Skip the schema rehearsal (dump the schema with the target's pg_dump, restore it into a scratch cluster of the target version).")
    boolean noRehearsal;

    @Override
    public Integer call() {
        PlanService.Outcome outcome = new PlanService(Clock.systemUTC()).plan(new PlanService.Request(
                inventory, output, TransportOptions.defaults().withAcceptNewHostKey(global.acceptNewHostKey), !noRehearsal));
        print(spec.commandLine().getOut(), outcome);
        return outcome.exitCode().code();
    }

    private static void findings(PrintWriter out, List<Finding> findings, String fullList) {
        for (Finding f : findings) {
            out.printf("  %-7s %s [%s]%n", f.severity(), f.title(), f.check());
            f.objects().stream().limit(5).forEach(o -> out.printf("          %s%n", o));
            if (f.objects().size() > 5) {
                out.printf("          ... and %d more (see %s)%n", f.objects().size() - 5, fullList);
            }
        }
    }

    private static void print(PrintWriter out, PlanService.Outcome outcome) {
        Plan plan = outcome.plan();
        out.printf("Plan for %s: PostgreSQL %s -> %s, %s%n", plan.name(), plan.sourceVersion(),
                plan.targetVersion(), plan.strategy() == Strategy.LOGICAL ? "logical (blue/green, initial copy by "
                        + plan.mode() + ")" : plan.strategy().key() + " --" + plan.mode());
        findings(out, plan.findings(), "the Markdown plan");
        out.printf("Estimated: %s in all, write outage %s%n", PlanMarkdown.human(plan.estimates().total()),
                PlanMarkdown.human(plan.estimates().outage()));
        out.printf("Written:   %s%n           %s%n", outcome.files().markdown(), outcome.files().json());
        out.printf("Digest:    %s%n", plan.digest());
        out.println(plan.ready() ? "Status:    READY" : "Status:    BLOCKED by " + plan.blockers().size()
                + " blocker(s): fix them and run plan again");
        out.flush();
    }
}
