package io.pgmigrate.app;

import io.pgmigrate.check.Finding;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.execute.DryRun;
import io.pgmigrate.execute.ExecutionLock;
import io.pgmigrate.inspect.ClusterFacts;
import io.pgmigrate.inspect.Inspector;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.plan.FingerprintDiff;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.rehearsal.SchemaRehearsal;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code pgmigrate execute}: runs exactly the reviewed plan. Before anything else it refuses a plan file
 * changed since {@code plan} wrote it, a plan with blockers, a second concurrent execution, and a source
 * that changed since the plan (stale plan). {@code --dry-run} then re-checks everything read-only (schema
 * rehearsal, pre-checks, pg_upgrade --check on a scratch cluster) and prints every step it would run.
 */
public final class ExecuteService {
    private final Clock clock;

    public ExecuteService(Clock clock) {
        this.clock = clock;
    }

    public record Request(Path planFile, Path inventory, boolean dryRun, TransportOptions transport) {
    }

    public record Outcome(ExitCode exitCode, String summary) {
    }

    public Outcome execute(Request request, PrintWriter out) {
        Plan plan = PlanJson.readVerified(request.planFile());
        Inventory inv = InventoryLoader.load(request.inventory());
        if (!inv.name().equals(plan.name())) {
            throw PgMigrateException.badInput(request.planFile() + " was made for '" + plan.name() + "', but "
                    + request.inventory() + " describes '" + inv.name() + "'; give the inventory the plan was made from");
        }
        if (!plan.ready()) {
            throw new PgMigrateException(ExitCode.BLOCKERS, request.planFile() + " lists " + plan.blockers().size()
                    + " blocker(s); fix them, then make and review a new plan");
        }
        if (!request.dryRun()) {
            throw PgMigrateException.badInput("execute without --dry-run is not available in this build yet:"
                    + " run 'pgmigrate execute --dry-run' to re-check the plan and see every step it would run");
        }
        Path lockFile = request.planFile().toAbsolutePath().resolveSibling(plan.name() + ".lock");
        try (ExecutionLock lock = ExecutionLock.acquire(lockFile);
             ClusterAccess source = Transports.clusterAccess(inv.source(), request.transport())) {
            out.println("Plan " + request.planFile() + " (" + plan.digest() + "): digest verified");
            ClusterFacts facts = new Inspector().inspect(inv, source, source.shell());
            refuseStale(plan, facts, request.planFile());
            out.println("Source " + facts.source().systemIdentifier() + " is the cluster the plan was made for");
            facts = facts.withRehearsal(new SchemaRehearsal(inv, facts.source(), source.shell()).run());
            List<Finding> blockers = Planner.plan(inv, facts, Instant.now(clock)).blockers();
            if (!blockers.isEmpty()) {
                blockers.forEach(b -> out.println("  BLOCKER " + b.title() + " [" + b.check() + "]: "
                        + String.join("; ", b.objects())));
                return new Outcome(ExitCode.BLOCKERS, blockers.size() + " blocker(s) appeared since the plan was made;"
                        + " nothing was changed: fix them, then make and review a new plan");
            }
            DryRun.Result r = new DryRun(plan, source.shell(), out).run();
            if (r.preflightFailure() != null) {
                return new Outcome(ExitCode.BLOCKERS, "dry run: " + r.preflightFailure() + "; nothing was changed");
            }
            return new Outcome(ExitCode.SUCCESS, "dry run passed: pre-flight ran for real, " + r.printed()
                    + " steps printed, nothing was changed");
        }
    }

    private static void refuseStale(Plan plan, ClusterFacts facts, Path planFile) {
        List<String> diffs = FingerprintDiff.differences(plan.fingerprint(), Planner.fingerprint(facts.source()));
        if (!diffs.isEmpty()) {
            throw new PgMigrateException(ExitCode.STALE_PLAN, planFile + " is stale, the source changed since the plan: "
                    + diffs.stream().collect(Collectors.joining("; ")) + "; make and review a new plan");
        }
    }
}
