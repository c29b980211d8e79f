package io.pgmigrate.planner.bluegreen;

import io.pgmigrate.planner.StepFactory;

import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.Action.RunCommand;
import io.pgmigrate.plan.Action.RunSql;
import io.pgmigrate.plan.Action.WaitForReplication;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.PhaseKind;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.plan.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pgmigrate.planner.StepFactory.step;

/**
 * The cutover of blue/green (the write outage: every step bounded by a timeout after which writes are unfrozen and
 * the cutover aborted), and the rollback, which is the same cutover in reverse.
 */
final class LogicalCutover {
    /** A catalog-only statement or console command inside the outage (PAUSE, a WAL position, ALTER SUBSCRIPTION). */
    static final Duration QUICK = Duration.ofMillis(200);
    private final Inventory inv;
    private final LogicalCommands cmd;
    private final LogicalEstimator est;
    private final List<LogicalNames> dbs;
    private final boolean pgbouncer;

    LogicalCutover(Inventory inv, LogicalCommands cmd, LogicalEstimator est, List<LogicalNames> dbs,
                   boolean pgbouncer) {
        this.inv = inv;
        this.cmd = cmd;
        this.est = est;
        this.dbs = dbs;
        this.pgbouncer = pgbouncer;
    }

    Phase cutover() {
        List<Step> steps = new ArrayList<>();
        steps.add(step("cutover.schema-check", "Blue's schema is still the one green has")
                .why("DDL is not replicated: a change on blue since the schema was restored (a new column, a new"
                        + " table) would be lost or break the apply. Blue and green are compared live, before anything"
                        + " is frozen; any difference stops the cutover here, with what changed.")
                .on(HostRole.CONTROLLER).retrySafe().action(verify(inv, Action.Verify.Scope.CATALOG))
                .estimate(est.base().schemaCapture(), Duration.ofMinutes(10)).build());
        freezeAndLevel("cutover", Endpoint.SOURCE, Endpoint.TARGET, LogicalNames::forward, steps);
        steps.add(inv.options().verify().beforeSwitch() ? compareFrozen() : holdFrozen());
        for (LogicalNames db : dbs) {
            String sub = SqlIdentifiers.quote(db.forward());
            steps.add(step("cutover.stop-forward." + db.token(), "Stop replication blue → green for " + db.database())
                    .why("Green is level with blue. Disabled, not dropped: an abort before the switch enables it"
                            + " again; and what blue receives from green by reverse replication must not come back to"
                            + " green (post.drop-forward drops it and its slot on blue).")
                    .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                    .action(new Action.AlterSubscription(Endpoint.TARGET, db.database(), db.forward(), false))
                    .undo("ALTER SUBSCRIPTION " + sub + " ENABLE on green")
                    .estimate(QUICK, Duration.ofMinutes(1)).build());
        }
        for (LogicalNames db : dbs) {
            steps.add(nothingLeft("cutover", db, Endpoint.SOURCE, db.forward()));
        }
        for (LogicalNames db : dbs) {
            steps.addAll(reverse(db));
        }
        LogicalPhases.markLast(steps, Marker.ROLLBACK_POINT);
        steps.add(switchClients(true, "cutover", Marker.REVERSE_CUTOVER));
        if (pgbouncer) {
            steps.add(resume("cutover", "Clients continue on green. The outage ends here."));
        }
        steps.add(stillFenced("cutover.fence-blue", Endpoint.SOURCE, "Clients reach green only: a client that bypasses"
                + " pgbouncer must not write to blue any more, its changes would never reach green. Reverse replication"
                + " still applies green's changes to blue. The way back, pgmigrate rollback, gives the logins back."));
        return LogicalPhases.phase("cutover", PhaseKind.CUTOVER, "Cutover: writes frozen, green brought level, clients switched", steps);
    }

    private String measured() {
        return "row counts (" + inv.options().verify().rowCounts().key() + ")" + (inv.options().verify().fingerprints()
                ? " and per-table data fingerprints" : "") + " of every table";
    }

    /** options.verify.beforeSwitch: the data compared inside the outage; a difference keeps clients on blue. */
    private Step compareFrozen() {
        return step("cutover.verify", "Compare blue and green at the frozen point")
                .why("Both clusters stand still and must hold the same rows: " + measured() + ", measured on both at"
                        + " once. A difference stops the cutover while blue still serves (options.verify.beforeSwitch:"
                        + " the write outage lasts as long as the comparison).")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true).action(verify(inv, Action.Verify.Scope.DATA))
                .estimate(est.frozenVerification(), Duration.ofMinutes(5)).build();
    }

    /** The default: the frozen point held in snapshots on both clusters, compared by post.verify once clients work. */
    private Step holdFrozen() {
        Action.Verify live = verify(inv, Action.Verify.Scope.DATA);
        return step("cutover.verify-snapshot", "Hold blue and green at the frozen point")
                .why("Both clusters stand still: one snapshot per database is exported on each and held open, so that "
                        + measured() + " are compared as they are now by post.verify, after clients were switched."
                        + " The write outage does not wait for the comparison; a difference found then is undone by"
                        + " pgmigrate rollback, the reverse cutover, which loses nothing.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.Verify(Action.Verify.Stage.SNAPSHOT, Action.Verify.Scope.DATA, live.rowCounts(),
                        false, live.fingerprints()))
                .estimate(Duration.ofMillis(500), Duration.ofMinutes(1)).build();
    }

    /** post.verify, after cutover.verify-snapshot (null with options.verify.beforeSwitch). */
    Step compareHeld() {
        if (inv.options().verify().beforeSwitch()) {
            return null;
        }
        Duration estimate = est.frozenVerification();
        Duration timeout = Duration.ofMinutes(30).compareTo(estimate.multipliedBy(3)) > 0 ? Duration.ofMinutes(30)
                : estimate.multipliedBy(3);
        return step("post.verify", "Compare blue and green as they stood at the frozen point")
                .why(measured().substring(0, 1).toUpperCase() + measured().substring(1) + ", measured on both clusters"
                        + " at once inside the snapshots cutover.verify-snapshot holds, while clients already work on"
                        + " green. A difference fails the execution (exit 5) with the rows named by key: pgmigrate"
                        + " rollback then returns clients to blue, which reverse replication has kept current. If the"
                        + " snapshots were lost (pgmigrate stopped since), the clusters are compared live and"
                        + " differences count as warnings.")
                .on(HostRole.CONTROLLER).retrySafe().action(verify(inv, Action.Verify.Scope.DATA))
                .estimate(estimate, timeout).build();
    }

    /**
     * The core of a cutover in either direction: writes on {@code from} frozen and the freeze proven, its WAL
     * position taken and confirmed by every subscription (named by {@code subscription}), then the sequences
     * and large objects copied to {@code to}.
     */
    private void freezeAndLevel(String phase, Endpoint from, Endpoint to,
                                java.util.function.Function<LogicalNames, String> subscription, List<Step> steps) {
        steps.add(freeze(from, phase));
        if (pgbouncer) {
            steps.add(fence(from, phase));
        }
        steps.add(proveFrozen(from, phase));
        steps.add(walPosition(from, phase));
        for (LogicalNames db : dbs) {
            steps.add(confirmed(phase, db, from, subscription.apply(db)));
        }
        for (LogicalNames db : dbs) {
            steps.add(sequences(phase, db, from, to));
        }
        largeObjects(phase, from, to, steps);
    }

    Phase rollback() {
        List<Step> steps = new ArrayList<>();
        freezeAndLevel("rollback", Endpoint.TARGET, Endpoint.SOURCE, LogicalNames::reverse, steps);
        for (LogicalNames db : dbs) {
            steps.add(step("rollback.stop-reverse." + db.token(), "Stop replication green → blue for " + db.database())
                    .why("Blue is level with green and takes the writes again.")
                    .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                    .action(new Action.AlterSubscription(Endpoint.SOURCE, db.database(), db.reverse(), false))
                    .estimate(QUICK, Duration.ofMinutes(1)).build());
        }
        for (LogicalNames db : dbs) {
            steps.add(nothingLeft("rollback", db, Endpoint.TARGET, db.reverse()));
        }
        steps.add(step("rollback.unfence-blue", "Give blue's application logins back")
                .why("Exactly the roles blocked by the cutover get LOGIN again.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.Logins(Endpoint.SOURCE, Action.Logins.Change.RESTORE))
                .estimate(QUICK, Duration.ofMinutes(2)).build());
        steps.add(switchClients(false, "rollback", Marker.NONE));
        if (pgbouncer) {
            steps.add(resume("rollback", "Clients continue on blue, which holds everything green had. The rollback's"
                    + " outage ends here."));
        }
        steps.add(stillFenced("rollback.fence-green", Endpoint.TARGET, "Nothing may write to green any more: blue"
                + " serves."));
        for (LogicalNames db : dbs) {
            steps.add(step("rollback.nothing-written-on-green." + db.token(), "Prove nothing was written on green"
                    + " directly since the frozen point (" + db.database() + ")")
                    .why("Green's reverse slot, stopped at the frozen point, holds whatever green wrote since; nothing"
                            + " replicates into green any more, so anything there was written by a session that"
                            + " bypassed the freeze, and blue lacks it.")
                    .on(HostRole.CONTROLLER).retrySafe()
                    .action(Action.NothingUnreplicated.writtenLocally(Endpoint.TARGET, db.database(), db.reverse(),
                            db.reverse()))
                    .timeout(Duration.ofMinutes(5)).build());
        }
        return LogicalPhases.phase("rollback", PhaseKind.ROLLBACK, "Rollback: the cutover in reverse, green → blue (only with pgmigrate"
                + " rollback, after the switch)", steps);
    }

    /**
     * Behind pgbouncer, clients wait in it; anything that bypasses it — a session straight to the cluster, of any role,
     * superusers included — is fenced out too: every role that can log in but pgmigrate's own gets NOLOGIN and every
     * other client session is ended.
     */
    private Step fence(Endpoint side, String prefix) {
        String name = side == Endpoint.SOURCE ? "blue" : "green";
        return step(prefix + ".fence", "Fence " + name + ": no login but pgmigrate's, every other session ended")
                .why("pgbouncer holds its clients; a session that bypasses it (an administrator, a job, a superuser)"
                        + " must not write past the frozen point either: its rows would never reach the other side."
                        + " Every role that can log in, superusers and replication roles included, gets NOLOGIN,"
                        + " except the role pgmigrate connects as; every client session but pgmigrate's is ended"
                        + " (replication connections go on). The roles are recorded beside the journal and get LOGIN"
                        + " back exactly when the " + prefix + " is abandoned or rolled back.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.Logins(side, Action.Logins.Change.BLOCK))
                .undo("the same roles get LOGIN back (always done on any failure before the switch)")
                .estimate(QUICK, Duration.ofMinutes(2)).build();
    }

    /**
     * After the subscriptions stopped: nothing was committed past the frozen point that did not reach the other side,
     * proven from the slot itself — a session of pgmigrate's own role, which the fence cannot block, is caught here.
     */
    private Step nothingLeft(String prefix, LogicalNames db, Endpoint publisher, String name) {
        String side = publisher == Endpoint.SOURCE ? "blue" : "green";
        return step(prefix + ".nothing-left." + db.token(), "Prove nothing written on " + side + " after the frozen"
                + " point was left behind (" + db.database() + ")")
                .why("The subscription stopped: its slot on " + side + " must hold no data change its subscriber has not"
                        + " confirmed. One there was committed through the freeze (by a session of pgmigrate's own"
                        + " role, say) and is not on the other side: the " + prefix + " is abandoned, nothing lost.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(Action.NothingUnreplicated.beyond(publisher, db.database(), name, name, name,
                        prefix + ".wal-position"))
                .estimate(QUICK, Duration.ofMinutes(1)).build();
    }

    /** After the switch: the side clients left stays fenced (its logins were blocked at the freeze). */
    private static Step stillFenced(String id, Endpoint side, String why) {
        String name = side == Endpoint.SOURCE ? "blue" : "green";
        return step(id, name.substring(0, 1).toUpperCase() + name.substring(1) + " stays fenced against writes")
                .why(why)
                .on(HostRole.CONTROLLER).retrySafe()
                .action(Action.Check.on(Action.CheckKind.LOGINS_FENCED, side, "no role but pgmigrate's own can log in"
                        + " to " + name + ", and no session of a fenced role is connected"))
                .timeout(Duration.ofMinutes(1)).build();
    }

    private Step freeze(Endpoint side, String prefix) {
        String name = side == Endpoint.SOURCE ? "blue" : "green";
        if (pgbouncer) {
            return step(prefix + ".freeze", "Freeze writes: pause clients in pgbouncer")
                    .why("Clients wait instead of failing. The write outage starts here; every step until the clients"
                            + " are switched has a timeout after which clients are resumed on " + name
                            + " and the " + prefix + " is abandoned.")
                    .role(StepRole.FREEZE_WRITES).retrySafe().inOutage(true)
                    .action(new Action.Pgbouncer(Action.Pgbouncer.Command.PAUSE))
                    .undo("RESUME in pgbouncer (always done on any failure)").estimate(QUICK, Duration.ofMinutes(2)).build();
        }
        return step(prefix + ".freeze", "Freeze writes: block every login but pgmigrate's on " + name)
                .why("No pgbouncer in the inventory: every role that can log in to " + name + ", superusers and"
                        + " replication roles included, gets NOLOGIN except the role pgmigrate connects as, and every"
                        + " other client session is ended, so clients see errors until they reconnect after the"
                        + " switch. The write outage starts here; on any failure before the switch exactly those"
                        + " roles get their logins back.")
                .on(HostRole.CONTROLLER).role(StepRole.FREEZE_WRITES).inOutage(true)
                .action(new Action.Logins(side, Action.Logins.Change.BLOCK))
                .undo("the same roles get LOGIN back (always done on any failure before the switch)")
                .estimate(QUICK, Duration.ofMinutes(2)).build();
    }

    private static Step proveFrozen(Endpoint side, String prefix) {
        String name = side == Endpoint.SOURCE ? "blue" : "green";
        return step(prefix + ".prove-frozen", "Prove that nothing writes to " + name)
                .why("The position taken next must be final: no session other than the checking one (known by its"
                        + " pid, never by an application name) holds a transaction id, and no transaction is prepared."
                        + " Whatever slips through all the same is caught after the subscriptions stop.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(Action.Check.on(Action.CheckKind.WRITES_FROZEN, side, "on " + name + ": no backend_xid in"
                        + " pg_stat_activity but the checking session's, no row in pg_prepared_xacts"))
                .estimate(QUICK, Duration.ofMinutes(1)).build();
    }

    private static Step walPosition(Endpoint side, String prefix) {
        String name = side == Endpoint.SOURCE ? "blue" : "green";
        return step(prefix + ".wal-position", "Take " + name + "'s WAL position")
                .why("Catch-up is proven by this position, not by a lag that looks small.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true).action(new Action.WalPosition(side))
                .estimate(QUICK, Duration.ofMinutes(1)).build();
    }

    private Step confirmed(String prefix, LogicalNames db, Endpoint publisher, String name) {
        boolean first = db == dbs.get(0);
        return step(prefix + ".caught-up." + db.token(), "Every change of " + db.database() + " confirmed")
                .why("The subscription " + name + " has confirmed " + prefix + ".wal-position, so the other side has"
                        + " every committed change." + (first ? "" : " Applied alongside the first database's."))
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new WaitForReplication(WaitForReplication.Condition.CONFIRMED_POSITION, publisher,
                        db.database(), name, name, 0, prefix + ".wal-position"))
                .estimate(first ? est.catchUp() : QUICK, Duration.ofMinutes(2)).build();
    }

    private Step sequences(String prefix, LogicalNames db, Endpoint from, Endpoint to) {
        return step(prefix + ".sequences." + db.token(), "Copy the sequences of " + db.database())
                .why("Sequences are not replicated: every sequence (owned by a column or not) continues where it"
                        + " stood, so no value handed out is handed out again.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.CopySequences(from, to, db.database()))
                .estimate(est.sequenceCopy(db.database()), Duration.ofMinutes(1)).build();
    }

    /** Only for databases where the pre-flight found large objects (logical-large-objects). */
    private void largeObjects(String prefix, Endpoint from, Endpoint to, List<Step> steps) {
        for (LogicalNames db : dbs) {
            if (est.hasLargeObjects(db.database())) {
                steps.add(step(prefix + ".large-objects." + db.token(), "Copy the large objects of " + db.database())
                        .why("Large objects are not replicated (they live in a system catalog); copied at the frozen"
                                + " point with their oids, so the columns pointing at them stay valid. Their size"
                                + " lengthens the outage: moving them into bytea columns beforehand avoids it.")
                        .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                        .action(new Action.CopyLargeObjects(from, to, db.database()))
                        .estimate(est.largeObjectCopy(db.database()), Duration.ofMinutes(5)).build());
            }
        }
    }

    private List<Step> reverse(LogicalNames db) {
        String pub = SqlIdentifiers.quote(db.reverse());
        int blueMajor = est.sourceMajor();
        Step publication = step("cutover.reverse-publication." + db.token(), "Publish every table of " + db.database()
                + " on green")
                .why("Reverse replication: blue is kept current after the switch, so that a rollback loses nothing.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.CreatePublication(Endpoint.TARGET, db.database(), db.reverse()))
                .undo("DROP PUBLICATION IF EXISTS " + pub + " on green").estimate(QUICK, Duration.ofMinutes(1)).build();
        Step subscription = step("cutover.reverse-subscription." + db.token(), "Subscribe blue's " + db.database()
                + " to green")
                .why("copy_data = false: both sides hold the same rows now." + (blueMajor >= 16
                        ? " origin = none: changes green received from blue are not sent back."
                        : " PostgreSQL " + blueMajor + " has no origin option; nothing loops because green's"
                        + " subscription to blue is disabled.") + " The password, if any, comes from ~/.pgpass of"
                        + " blue's server's OS user on blue's host.")
                .on(HostRole.CONTROLLER).retrySafe().inOutage(true)
                .action(new Action.CreateSubscription(Endpoint.SOURCE, db.database(), db.reverse(),
                        cmd.greenFromBlue(db.database()), db.reverse(), db.reverse(), false, blueMajor >= 16))
                .undo("DROP SUBSCRIPTION IF EXISTS " + pub + " on blue (drops its slot on green)")
                .estimate(Duration.ofMillis(500), Duration.ofMinutes(1)).build();
        return List.of(publication, subscription);
    }

    private Step switchClients(boolean toGreen, String prefix, Marker marker) {
        String name = toGreen ? "green" : "blue";
        String why = toGreen
                ? "From here clients work on green and their writes reach blue by reverse replication: the way back is"
                + " pgmigrate rollback, the cutover in reverse, which loses nothing." + (pgbouncer ? ""
                : " The outage ends here, as clients reconnect.")
                : "Clients go back to blue." + (pgbouncer ? "" : " The rollback's outage ends here.");
        StepFactory.Builder b = step(prefix + ".switch-clients", "Point clients at " + name)
                .why(why).on(HostRole.CONTROLLER).role(StepRole.SWITCH_CLIENTS).inOutage(true).marker(marker)
                .estimate(Duration.ofSeconds(2), Duration.ofMinutes(2));
        if (inv.cutover() == null || inv.cutover().switchCommand().isEmpty()) {
            return b.action(Action.Check.of(Action.CheckKind.CLIENTS_SWITCHED, "cutover.switchCommand is not set in"
                    + " the inventory; nothing can point clients at " + name + " (see the blocker above)")).build();
        }
        return b.action(RunCommand.of(cmd.switchClients(toGreen)))
                .undo(toGreen ? "the same command with blue, its host and port (pgmigrate rollback)" : null).build();
    }

    private static Step resume(String prefix, String why) {
        return step(prefix + ".resume", "Resume clients in pgbouncer")
                .why(why).retrySafe().inOutage(true).action(new Action.Pgbouncer(Action.Pgbouncer.Command.RESUME))
                .estimate(QUICK, Duration.ofMinutes(2)).build();
    }

    /** Live comparison of blue and green (no baseline): the schema, or the data at the frozen point. */
    static Action.Verify verify(Inventory inv, Action.Verify.Scope scope) {
        return new Action.Verify(Action.Verify.Stage.LIVE, scope, inv.options().verify().rowCounts().key(), false,
                scope == Action.Verify.Scope.DATA && inv.options().verify().fingerprints());
    }
}
