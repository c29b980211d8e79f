package io.pgmigrate.app;

import io.pgmigrate.check.Finding;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.execute.DryRun;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.ExecutionLock;
import io.pgmigrate.execute.Executor;
import io.pgmigrate.execute.Journal;
import io.pgmigrate.execute.JournalState;
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
 * rehearsal, pre-checks, pg_upgrade --check on a scratch cluster) and prints every step it would run;
 * without it, the steps run for real, journaled, resumable and rolled back on failure before the point
 * of no return.
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
        ExecutionFiles files = ExecutionFiles.beside(request.planFile(), plan.name());
        try (ExecutionLock lock = ExecutionLock.acquire(files.lock());
             ClusterAccess source = Transports.clusterAccess(inv.source(), request.transport())) {
            out.println("Plan " + request.planFile() + " (" + plan.digest() + "): digest verified");
            return request.dryRun() ? dryRun(plan, inv, source, out) : execute(plan, inv, source, files, out);
        }
    }

    private Outcome dryRun(Plan plan, Inventory inv, ClusterAccess source, PrintWriter out) {
        ClusterFacts facts = freshFacts(plan, inv, source, out);
        facts = facts.withRehearsal(new SchemaRehearsal(inv, facts.source(), source.shell()).run());
        Outcome blocked = refuseNewBlockers(plan, inv, facts, out);
        if (blocked != null) {
            return blocked;
        }
        DryRun.Result r = new DryRun(plan, source.shell(), out).run();
        if (r.preflightFailure() != null) {
            return new Outcome(ExitCode.BLOCKERS, "dry run: " + r.preflightFailure() + "; nothing was changed");
        }
        return new Outcome(ExitCode.SUCCESS, "dry run passed: pre-flight ran for real, " + r.printed()
                + " steps printed, nothing was changed");
    }

    /**
     * A new execution checks the live source first; an execution that is underway (the journal says so:
     * the tool, SSH or this machine died mid-way) resumes with the facts it started from, since the old
     * cluster may be stopped by now.
     */
    private Outcome execute(Plan plan, Inventory inv, ClusterAccess source, ExecutionFiles files, PrintWriter out) {
        Path journalFile = files.journal();
        Path factsFile = files.facts();
        JournalState state = JournalState.of(Journal.read(journalFile));
        if (state.ended()) {
            return new Outcome(ExitCode.SUCCESS, "this plan was executed completely already (journal " + journalFile
                    + "); the new cluster serves");
        }
        boolean underway = state.entries() > 0 && !state.rolledBack();
        ClusterFacts facts;
        if (underway) {
            facts = readFacts(factsFile);
            out.println("Resuming the execution recorded in " + journalFile);
        } else {
            facts = freshFacts(plan, inv, source, out);
            Outcome blocked = refuseNewBlockers(plan, inv, facts, out);
            if (blocked != null) {
                return blocked;
            }
            PlanFiles.writeAtomically(factsFile, PlanJson.write(facts));
        }
        try (Journal journal = Journal.open(journalFile)) {
            ExecutionContext ctx = new ExecutionContext(plan, inv, facts.source(), source, files, out);
            Executor.Result r = new Executor(ctx, journal).run();
            return new Outcome(r.exitCode(), r.summary());
        }
    }

    private ClusterFacts freshFacts(Plan plan, Inventory inv, ClusterAccess source, PrintWriter out) {
        ClusterFacts facts = new Inspector().inspect(inv, source, source.shell());
        refuseStale(plan, facts, inv.file());
        out.println("Source " + facts.source().systemIdentifier() + " is the cluster the plan was made for");
        return facts;
    }

    private Outcome refuseNewBlockers(Plan plan, Inventory inv, ClusterFacts facts, PrintWriter out) {
        List<Finding> blockers = Planner.plan(inv, facts, Instant.now(clock)).blockers();
        if (blockers.isEmpty()) {
            return null;
        }
        blockers.forEach(b -> out.println("  BLOCKER " + b.title() + " [" + b.check() + "]: "
                + String.join("; ", b.objects())));
        return new Outcome(ExitCode.BLOCKERS, blockers.size() + " blocker(s) appeared since the plan was made;"
                + " nothing was changed: fix them, then make and review a new plan");
    }

    private static ClusterFacts readFacts(Path file) {
        try {
            return PlanJson.mapper().readValue(java.nio.file.Files.readString(file), ClusterFacts.class);
        } catch (java.io.IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "the execution is underway but its facts file " + file
                    + " cannot be read (" + e.getMessage() + "); see pgmigrate status and the journal");
        }
    }

    private static void refuseStale(Plan plan, ClusterFacts facts, Path inventory) {
        List<String> diffs = FingerprintDiff.differences(plan.fingerprint(), Planner.fingerprint(facts.source()));
        if (!diffs.isEmpty()) {
            throw new PgMigrateException(ExitCode.STALE_PLAN, "the plan for " + inventory + " is stale, the source changed since the plan: "
                    + diffs.stream().collect(Collectors.joining("; ")) + "; make and review a new plan");
        }
    }
}
