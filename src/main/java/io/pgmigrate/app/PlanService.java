package io.pgmigrate.app;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.PeerAddresses;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.inspect.Inspector;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.rehearsal.SchemaRehearsal;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.PgPassFile;
import io.pgmigrate.transport.Transports;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code pgmigrate plan}: load the inventory, inspect the source read-only, rehearse the schema restore
 * on a scratch cluster of the target version, run the pre-checks, write the plan. Returns the outcome as data; the CLI only prints it.
 * Both strategies get a plan; for {@code strategy: logical} the logical-replication pre-flight is among the checks,
 * and the plan has blue/green's phases.
 */
public final class PlanService {
    private final Clock clock;

    public PlanService(Clock clock) {
        this.clock = clock;
    }

    /** @param rehearsal run the schema rehearsal (brief §4); off only with --no-rehearsal */
    public record Request(Path inventory, Path outputDir, TransportOptions transport, boolean rehearsal) {
    }

    public record Outcome(Plan plan, PlanFiles.Written files) {
        /** 0 when the plan is ready, 3 when it lists blockers (the plan is written either way). */
        public ExitCode exitCode() {
            return plan.ready() ? ExitCode.SUCCESS : ExitCode.BLOCKERS;
        }
    }

    public Outcome plan(Request request) {
        Inventory inv = InventoryLoader.load(request.inventory());
        PgPassFile.requirePrivate();
        ClusterFacts facts;
        try (ClusterAccess source = Transports.clusterAccess(inv.source(), request.transport());
             StandbyRoutes standbys = new StandbyRoutes(request.transport());
             HostShell greenHost = PeerAddresses.greenElsewhere(inv)
                     ? Transports.shell(inv.target().host(), request.transport()) : null) {
            // the target's binaries, its data directory's disk and its extensions are facts of the host green runs on
            HostShell targetHost = greenHost != null ? greenHost : source.shell();
            facts = new Inspector().inspect(inv, source, targetHost, standbys::of, g -> standbys.of(g).shell());
            if (request.rehearsal()) {
                facts = facts.withRehearsal(new SchemaRehearsal(inv, facts.source(), targetHost).run());
            }
        }
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
        Plan plan = Planner.plan(inv, facts, now);
        return new Outcome(plan, PlanFiles.write(plan, request.outputDir()));
    }
}
