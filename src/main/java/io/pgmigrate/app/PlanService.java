package io.pgmigrate.app;

import io.pgmigrate.check.Finding;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.inspect.ClusterFacts;
import io.pgmigrate.inspect.Inspector;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.rehearsal.SchemaRehearsal;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code pgmigrate plan}: load the inventory, inspect the source read-only, rehearse the schema restore
 * on a scratch cluster of the target version, run the pre-checks, write the plan. Returns the outcome as data; the CLI only prints it.
 *
 * <p>For {@code strategy: logical}, whose plan phases are not built yet, it stops after the pre-checks (the
 * logical-replication pre-flight among them): their findings are the outcome, written to
 * {@code NAME.preflight.md}, and no plan is written.
 */
public final class PlanService {
    /** Why a logical inventory gets findings but no plan (one line, the CLI prints it with exit code 2). */
    public static final String LOGICAL_NOT_PLANNED = "strategy: logical: the pre-flight ran, but the logical"
            + " plan's phases (green, sync, cutover, rollback) are not built yet in this version of pgmigrate, so"
            + " no plan was written; use strategy: pg-upgrade for a plan now";

    private final Clock clock;

    public PlanService(Clock clock) {
        this.clock = clock;
    }

    /** @param rehearsal run the schema rehearsal (brief §4); off only with --no-rehearsal */
    public record Request(Path inventory, Path outputDir, TransportOptions transport, boolean rehearsal) {
    }

    /**
     * @param plan      the plan, null when only the pre-flight ran
     * @param files     the plan's files, null when only the pre-flight ran
     * @param preflight the findings of a strategy without plan phases yet, else null
     */
    public record Outcome(Plan plan, PlanFiles.Written files, Preflight preflight) {
        public Outcome(Plan plan, PlanFiles.Written files) {
            this(plan, files, null);
        }

        /** 0 when the plan is ready, 3 when it lists blockers (the plan is written either way); 2 without a plan. */
        public ExitCode exitCode() {
            if (plan == null) {
                return ExitCode.BAD_INPUT;
            }
            return plan.ready() ? ExitCode.SUCCESS : ExitCode.BLOCKERS;
        }
    }

    /** The pre-check findings of an inventory that got no plan, where they were written, and why no plan. */
    public record Preflight(String name, String sourceVersion, String targetVersion, List<Finding> findings,
                            Path markdown, String notPlanned) {
    }

    public Outcome plan(Request request) {
        Inventory inv = InventoryLoader.load(request.inventory());
        ClusterFacts facts;
        try (ClusterAccess source = Transports.clusterAccess(inv.source(), request.transport())) {
            facts = new Inspector().inspect(inv, source, source.shell());
            if (request.rehearsal()) {
                facts = facts.withRehearsal(new SchemaRehearsal(inv, facts.source(), source.shell()).run());
            }
        }
        if (inv.strategy() == Inventory.Strategy.LOGICAL) {
            return new Outcome(null, null, preflight(inv, facts, request.outputDir()));
        }
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
        Plan plan = Planner.plan(inv, facts, now);
        return new Outcome(plan, PlanFiles.write(plan, request.outputDir()));
    }

    private static Preflight preflight(Inventory inv, ClusterFacts facts, Path dir) {
        List<Finding> findings = Planner.findings(inv, facts);
        String source = facts.source().version().toString();
        String target = String.valueOf(inv.target().version());
        Path md = PlanFiles.writePreflight(inv.name(), PlanMarkdown.preflight(inv.name(), inv.strategy().key(), source,
                target, findings, LOGICAL_NOT_PLANNED), dir);
        return new Preflight(inv.name(), source, target, findings, md, LOGICAL_NOT_PLANNED);
    }
}
