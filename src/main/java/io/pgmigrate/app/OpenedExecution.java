package io.pgmigrate.app;

import io.pgmigrate.plan.Strategy;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.ExecutionLock;
import io.pgmigrate.execute.Journal;
import io.pgmigrate.execute.JournalState;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.inventory.TargetEndpoint;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What execute, rollback and cleanup share before they touch anything: the plan with its digest verified,
 * the inventory it was made from, the execution's files beside the plan, the lock that keeps two of them
 * from running at once, and the way to the database host.
 */
final class OpenedExecution implements AutoCloseable {
    final Path planFile;
    final Plan plan;
    final Inventory inventory;
    final ExecutionFiles files;
    private final ExecutionLock lock;
    private ClusterAccess source;
    private ClusterAccess target;
    private final TransportOptions transport;

    private OpenedExecution(Path planFile, Plan plan, Inventory inventory, ExecutionLock lock,
                            TransportOptions transport) {
        this.planFile = planFile;
        this.plan = plan;
        this.inventory = inventory;
        this.files = ExecutionFiles.beside(planFile, plan.name());
        this.lock = lock;
        this.transport = transport;
    }

    /** Checks the plan and the inventory (a bad one is refused before the lock is taken) and takes the lock. */
    static OpenedExecution open(Path planFile, Path inventoryFile, TransportOptions transport,
                                java.util.function.Consumer<Plan> refuse) {
        Plan plan = PlanJson.readVerified(planFile);
        Inventory inv = InventoryLoader.load(inventoryFile);
        if (!inv.name().equals(plan.name())) {
            throw PgMigrateException.badInput(planFile + " was made for '" + plan.name() + "', but "
                    + inventoryFile + " describes '" + inv.name() + "'; give the inventory the plan was made from");
        }
        refuse.accept(plan);
        ExecutionFiles files = ExecutionFiles.beside(planFile, plan.name());
        return new OpenedExecution(planFile, plan, inv, ExecutionLock.acquire(files.lock()), transport);
    }

    /** The way to the database host and its cluster, opened on first use. */
    ClusterAccess source() {
        if (source == null) {
            source = Transports.clusterAccess(inventory.source(), transport);
        }
        return source;
    }

    /** The way to green beside blue (strategy logical), opened on first use; null for a plan in place. */
    ClusterAccess target() {
        if (target == null && plan.strategy() == Strategy.LOGICAL) {
            TargetEndpoint green = TargetEndpoint.of(inventory);
            target = Transports.clusterAccess(green.host(), green.pg(), green.tunnel(), transport);
        }
        return target;
    }

    JournalState state() {
        return JournalState.of(Journal.read(files.journal()));
    }

    /** The facts the execution started from (the old cluster may be stopped now, so they are not read again). */
    ClusterFacts savedFacts() {
        try {
            return PlanJson.mapper().readValue(Files.readString(files.facts()), ClusterFacts.class);
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "the execution's facts file " + files.facts()
                    + " cannot be read (" + e.getMessage() + "); see pgmigrate status and the journal");
        }
    }

    ExecutionContext context(ClusterFacts facts, PrintWriter out) {
        return new ExecutionContext(plan, inventory, facts.source(), source(), target(), files, out);
    }

    @Override
    public void close() {
        try {
            if (source != null) {
                source.close();
            }
            if (target != null) {
                target.close();
            }
        } finally {
            lock.close();
        }
    }
}
