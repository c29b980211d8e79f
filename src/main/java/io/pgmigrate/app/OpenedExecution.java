package io.pgmigrate.app;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.execute.Execution;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.ExecutionMarker;
import io.pgmigrate.execute.HostLock;
import io.pgmigrate.execute.bluegreen.BlueGreenExecution;
import io.pgmigrate.execute.inplace.InPlaceExecution;
import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.inventory.PeerAddresses;
import io.pgmigrate.inventory.TargetEndpoint;
import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalState;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Strategy;
import io.pgmigrate.planner.inplace.UpgradeCommands;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What execute, rollback, cleanup and verify share before they touch anything: the plan with its digest verified,
 * the inventory it was made from, the execution's files beside the plan, the execution lock on the database host
 * (whichever controller or copy of the plan runs it), the journal's execution checked to belong to this plan, and
 * the way to the database host.
 */
final class OpenedExecution implements AutoCloseable {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    final Path planFile;
    final Plan plan;
    final Inventory inventory;
    final ExecutionFiles files;
    private final TransportOptions transport;
    private HostShell lockShell;
    private HostLock lock;
    private ExecutionMarker marker;
    /** The execution this run recorded on the host as underway (a new one), or null. */
    private String recorded;
    private ClusterAccess source;
    private ClusterAccess target;
    private StandbyRoutes standbys;
    private final Clock clock;

    private OpenedExecution(Path planFile, Plan plan, Inventory inventory, TransportOptions transport, Clock clock) {
        this.planFile = planFile;
        this.plan = plan;
        this.inventory = inventory;
        this.files = ExecutionFiles.beside(planFile, plan.name());
        this.transport = transport;
        this.clock = clock;
    }

    /** How the execution lock is taken: not at all (a dry run changes nothing), or with --break-lock or without. */
    enum Locking { NONE, TAKE, BREAK }

    /**
     * Checks the plan and the inventory (a bad one is refused before the lock is taken), takes the lock on the
     * database host, and refuses a journal whose open execution runs another plan.
     */
    static OpenedExecution open(Path planFile, Path inventoryFile, TransportOptions transport,
                                java.util.function.Consumer<Plan> refuse, Locking locking, PrintWriter out) {
        Plan plan = PlanJson.readVerified(planFile);
        // the journal, facts, baselines and reports go beside the plan: nobody else may be able to replace them
        io.pgmigrate.core.PrivateFiles.refuseShared(planFile.toAbsolutePath().getParent(), "the plan's directory",
                "move the plan into a directory only you can write (or chmod go-w it)");
        Inventory inv = InventoryLoader.load(inventoryFile);
        io.pgmigrate.transport.PgPassFile.requirePrivate();
        if (!inv.name().equals(plan.name())) {
            throw PgMigrateException.badInput(planFile + " was made for '" + plan.name() + "', but "
                    + inventoryFile + " describes '" + inv.name() + "'; give the inventory the plan was made from");
        }
        refuse.accept(plan);
        OpenedExecution ex = new OpenedExecution(planFile, plan, inv, transport, Clock.systemUTC());
        try {
            if (locking != Locking.NONE) {
                ex.lockShell = Transports.shell(inv.source().host(), transport);
                ex.lock = HostLock.acquire(ex.lockShell, UpgradeCommands.workDir(inv),
                        HostLock.Holder.thisProcess(plan.digest()), locking == Locking.BREAK, out);
                ex.marker = new ExecutionMarker(ex.lockShell, UpgradeCommands.workDir(inv));
                ex.marker.refuseOther(ex.state().execution(), ex.files.journal().toString());
                ex.refuseUntrustedGreenWorkDir();
                ex.refuseUntrustedStandbyWorkDirs();
            }
            ex.refuseOtherPlan();
            return ex;
        } catch (RuntimeException e) {
            ex.close();
            throw e;
        }
    }

    /**
     * Green on a host of its own has a work directory of its own there: one that another user made (or could write)
     * is refused before any step runs, as the lock refuses such a one on the database host.
     */
    private void refuseUntrustedGreenWorkDir() {
        if (plan.strategy() != Strategy.LOGICAL || !PeerAddresses.greenElsewhere(inventory)) {
            return;
        }
        // on the execution's own way to green's host, which its steps use next
        String refused = io.pgmigrate.transport.PrivateDirectory.check(targetHost(), UpgradeCommands.workDir(inventory),
                java.time.Duration.ofSeconds(30));
        if (refused != null) {
            throw PgMigrateException.badInput("green's work directory " + refused);
        }
    }

    /**
     * Each standby the plan rebuilds has a work directory of its own on its host: one that another user made (or could
     * write) is refused before any step runs, as on the database host.
     */
    private void refuseUntrustedStandbyWorkDirs() {
        java.util.Set<String> named = new java.util.HashSet<>();
        plan.steps().forEach(s -> {
            if (s.standby() != null) {
                named.add(s.standby());
            }
        });
        for (String name : named) {
            io.pgmigrate.transport.ClusterAccess access = standbys().named(inventory, name);
            if (access == null) {
                continue; // the execution names it when a step needs it
            }
            String refused = io.pgmigrate.transport.PrivateDirectory.check(access.shell(),
                    ExecutionContext.standbyWorkDir(inventory, name),
                    java.time.Duration.ofSeconds(30));
            if (refused != null) {
                throw PgMigrateException.badInput("standby " + name + "'s work directory " + refused);
            }
        }
    }

    /** A journal whose execution is underway belongs to the plan it was begun with: another plan is refused. */
    private void refuseOtherPlan() {
        JournalState state = state();
        if (state.open() && !plan.digest().equals(state.planDigest())) {
            throw new PgMigrateException(ExitCode.STALE_PLAN, "the journal " + files.journal() + " holds execution "
                    + state.execution() + " of another plan (digest " + state.planDigest() + "), underway; " + planFile
                    + " has digest " + plan.digest() + ". Finish it or roll it back with the plan it was begun with"
                    + " (see pgmigrate status); nothing was changed");
        }
    }

    /** The way to the database host and its cluster, opened on first use. */
    ClusterAccess source() {
        if (source == null) {
            source = Transports.clusterAccess(inventory.source(), transport);
        }
        return source;
    }

    /** The ways to the inventory's standbys, each opened on first use. */
    StandbyRoutes standbys() {
        if (standbys == null) {
            standbys = new StandbyRoutes(transport);
        }
        return standbys;
    }

    /** The host the target's binaries run on: green's own host (blue/green with target.host), else the source host. */
    HostShell targetHost() {
        return PeerAddresses.greenElsewhere(inventory) ? target().shell() : source().shell();
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
        return Journal.state(files.journal());
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

    /**
     * The execution the journal holds underway, or a new one: its id names everything it leaves on a host, so a new
     * execution never attaches to what an earlier one left.
     */
    String executionId() {
        JournalState state = state();
        if (state.open()) {
            return state.execution();
        }
        return ID_TIME.format(clock.instant()) + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new execution begins: the host records it as underway, so that no other journal begins one there. */
    void recordUnderway(String execution) {
        if (marker != null) {
            marker.write(new ExecutionMarker.Underway(execution, plan.digest(), HostLock.Holder.thisProcess(
                    plan.digest()).controllerHost(), files.journal().toAbsolutePath().toString()));
            recorded = execution;
        }
    }

    /**
     * After a run: when the journal's execution is over (rolled back, cleaned up), or the new execution this run
     * recorded never began (refused before its first event, the journal full), nothing is underway on the host.
     */
    void releaseIfOver() {
        JournalState s = state();
        if (marker != null && (s.closed() || recorded != null && !recorded.equals(s.execution()))) {
            marker.remove();
        }
    }

    ExecutionContext context(ClusterFacts facts, PrintWriter out, String execution) {
        return new ExecutionContext(plan, inventory, facts.source(), source(), target(), files, out, execution, clock,
                name -> java.util.Optional.ofNullable(standbys().named(inventory, name))
                        .orElseThrow(() -> PgMigrateException.badInput("the plan names standby " + name + ", which "
                                + inventory.file() + " does not list; give the inventory the plan was made from")));
    }

    /** The strategy's execution of this plan. */
    Execution execution(ExecutionContext ctx, Journal journal) {
        return plan.strategy() == Strategy.LOGICAL ? new BlueGreenExecution(ctx, journal)
                : new InPlaceExecution(ctx, journal);
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
            if (standbys != null) {
                standbys.close();
            }
        } finally {
            if (lock != null) {
                lock.close();
            }
            if (lockShell != null) {
                lockShell.close();
            }
        }
    }
}
