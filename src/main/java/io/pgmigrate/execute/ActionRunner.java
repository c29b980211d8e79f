package io.pgmigrate.execute;

import io.pgmigrate.pg.ControlData;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Does what one step's action says, on real hosts and servers; a failure is a one-line {@link StepFailure}. The kinds
 * only one strategy has (blue/green's replication waits, logins, copies) come from that strategy's
 * {@link StrategyActions}.
 */
public final class ActionRunner implements StepRunner {
    /**
     * Steps allowed to run longer than this (vacuumdb) run detached on the host even when they are
     * retry-safe: a dropped SSH connection must not kill them and make the outage start them over.
     */
    private static final Duration LONG_STEP = Duration.ofMinutes(10);

    private final ExecutionContext ctx;
    /** Verify steps share state: the snapshots one holds for a later one. */
    private final VerifyStep verify;
    /** The strategy's own kinds. */
    private final StrategyActions strategy;
    private final DetachedStep detached;

    /** @param overdue told when a step that must not be interrupted runs past its timeout again (for the journal) */
    public ActionRunner(ExecutionContext ctx, StrategyActions strategy,
                        java.util.function.BiConsumer<Step, Duration> overdue) {
        this.ctx = ctx;
        this.verify = new VerifyStep(ctx);
        this.strategy = strategy;
        this.detached = new DetachedStep(ctx, overdue);
    }

    /** Releases whatever a step left held for a later one (snapshots). */
    @Override
    public void close() {
        verify.close();
        strategy.close();
    }

    /** Runs the step; returns a short note for the journal. */
    @Override
    public Outcome run(Step step) {
        java.util.Optional<Outcome> own = strategy.run(step);
        return own.isPresent() ? own.get() : Outcome.note(common(step));
    }

    private String common(Step step) {
        Action a = step.action();
        if (a instanceof Action.RunCommand c) {
            return command(step, c);
        }
        if (a instanceof Action.AnalyzeMissing m) {
            return analyzeMissing(step, m);
        }
        if (a instanceof Action.Pgbouncer b) {
            return pgbouncer(step, b.command());
        }
        if (a instanceof Action.MakeDirectory d) {
            return makeDirectory(step, d);
        }
        if (a instanceof Action.RemoveTree r) {
            return simple(step, List.of("rm", "-rf", "--", r.path()), "removed " + r.path());
        }
        if (a instanceof Action.RunSql q) {
            // the step's timeout bounds the statement in the server (a CHECKPOINT that hangs, say) and on the wire
            try (SqlSession s = ctx.sql(q.endpoint(), q.database(), step.timeout())) {
                s.execute(q.sql());
            } catch (TransportException e) {
                throw new StepFailure(step.id() + ": " + e.getMessage());
            }
            return q.sql() + " done";
        }
        if (a instanceof Action.WaitFor w) {
            return waitFor(step, w);
        }
        if (a instanceof Action.Check k) {
            return check(step, k);
        }
        if (a instanceof Action.WriteFile f) {
            HostShell sh = ctx.shell(step);
            // the contents go on stdin, never on a command line
            CommandResult r = AtomicWrite.write(sh, f.path(), f.mode(), f.content(), step.timeout());
            if (!r.ok()) {
                throw new StepFailure(step.id() + ": cannot write " + f.path() + " on " + sh.describe() + ": "
                        + r.lastErrorLine());
            }
            return "wrote " + f.path();
        }
        if (a instanceof Action.Verify v) {
            return verify.run(step, v);
        }
        if (a instanceof Action.FenceOldCluster f) {
            try {
                return new OldClusterFence(ctx.shell(step), step.timeout()).fence(f);
            } catch (StepFailure | TransportException e) {
                throw new StepFailure(step.id() + ": " + e.getMessage());
            }
        }
        if (a instanceof Action.StandbyReplayed r) {
            return new StandbyWaits(ctx).replayed(step, r);
        }
        if (a instanceof Action.StandbyCheckpoint c) {
            return new StandbyWaits(ctx).checkpoint(step, c);
        }
        if (a instanceof Action.StandbyStreams w) {
            return new StandbyWaits(ctx).streams(step, w);
        }
        if (a instanceof Action.PatroniPause p) {
            return new PatroniSteps(ctx).pause(step, p);
        }
        if (a instanceof Action.PatroniStop p) {
            return new PatroniSteps(ctx).stop(step, p);
        }
        if (a instanceof Action.PatroniConfig c) {
            return new PatroniSteps(ctx).configure(step, c);
        }
        if (a instanceof Action.PatroniWait w) {
            return new PatroniSteps(ctx).await(step, w);
        }
        if (a instanceof Action.AlterSystem as) {
            try (SqlSession s = ctx.sql(as.endpoint(), ctx.source().maintenanceDatabase(), step.timeout())) {
                for (String sql : as.sql()) {
                    s.execute(sql);
                }
            } catch (TransportException e) {
                throw new StepFailure(step.id() + ": " + e.getMessage());
            }
            return as.name() + " set and the configuration reloaded";
        }
        throw new IllegalArgumentException("unknown action " + a.getClass().getSimpleName());
    }

    /**
     * pgbouncer's admin console, through psql on the database host: it speaks only the simple protocol and
     * refuses the setup queries JDBC drivers send, and psql is what its admins use. The password, if any,
     * comes from the host's ~/.pgpass.
     */
    public String pgbouncer(Step step, Action.Pgbouncer.Command command) {
        CommandResult r = ctx.shell().run(ctx.pgbouncerCommand(command.name()), step.timeout());
        if (!r.ok() && command == Action.Pgbouncer.Command.RESUME && r.lastErrorLine().contains("is not paused")) {
            // clients were resumed already (after a failure, say): what RESUME is for holds
            return "pgbouncer was not paused: clients work already";
        }
        if (!r.ok()) {
            throw new StepFailure(step.id() + ": pgbouncer " + command + " failed from " + ctx.shell().describe() + ": "
                    + r.lastErrorLine());
        }
        return "pgbouncer " + command + " done";
    }

    /**
     * pgmigrate's own directory (mode 0700): made when missing; an existing one that is a symbolic link, another
     * user's or writable by others is refused, since pgmigrate later runs and believes what it finds there.
     */
    private String makeDirectory(Step step, Action.MakeDirectory d) {
        if (!d.mode().equals("0700") && !d.mode().equals("700")) {
            return simple(step, List.of("mkdir", "-p", "-m", d.mode(), "--", d.path()), "created " + d.path());
        }
        HostShell sh = ctx.shell(step);
        String refused;
        try {
            refused = io.pgmigrate.transport.PrivateDirectory.ensure(sh, d.path(), step.timeout());
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
        if (refused != null) {
            throw new StepFailure(step.id() + ": " + refused);
        }
        return "created " + d.path() + " (mode 0700) or found it private";
    }

    /** A short program on the step's host (mkdir, rm), by its argument list. */
    private String simple(Step step, List<String> argv, String note) {
        HostShell sh = ctx.shell(step);
        CommandResult r;
        try {
            r = sh.run(argv, step.timeout());
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
        if (!r.ok()) {
            throw new StepFailure(step.id() + ": '" + String.join(" ", argv) + "' on " + sh.describe() + " exited "
                    + r.exitCode() + ": " + r.lastErrorLine());
        }
        return note;
    }

    private String command(Step step, Action.RunCommand c) {
        if (!step.retrySafe() || step.timeout().compareTo(LONG_STEP) > 0) {
            return detached.run(step, c);
        }
        HostShell sh = ctx.shell(step);
        CommandResult r = sh.run(RemoteCommand.argv(c), step.timeout());
        if (!r.ok()) {
            throw new StepFailure(step.id() + ": '" + c.argv().get(0) + "' on " + sh.describe() + " exited "
                    + r.exitCode() + ": " + r.lastErrorLine() + ProgramLogs.show(ctx, sh, c.logs()));
        }
        return tail(r.stdout());
    }

    /**
     * vacuumdb only when some database of the endpoint lacks statistics; the databases are every one
     * vacuumdb --all visits (templates included).
     */
    private String analyzeMissing(Step step, Action.AnalyzeMissing m) {
        java.util.Map<String, Long> missing = new java.util.LinkedHashMap<>();
        try {
            List<String> databases;
            try (SqlSession s = ctx.sql(m.endpoint(), ctx.inventory().source().pg().database(), step.timeout())) {
                databases = s.query("SELECT datname FROM pg_catalog.pg_database WHERE datallowconn"
                        + " AND datconnlimit <> -2 ORDER BY 1").stream().map(r -> r.get("datname")).toList();
            }
            for (String db : databases) {
                try (SqlSession s = ctx.sql(m.endpoint(), db, step.timeout())) {
                    long n = MissingStatistics.relations(s);
                    if (n > 0) {
                        missing.put(db, n);
                    }
                }
            }
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
        if (missing.isEmpty()) {
            String note = "no table or materialized view lacks statistics: vacuumdb not needed";
            ctx.out().println("      " + note);
            return note;
        }
        ctx.out().println("      statistics missing: " + missing.entrySet().stream()
                .map(e -> e.getValue() + " relation(s) in " + e.getKey()).collect(java.util.stream.Collectors.joining(", ")));
        return "statistics were missing (" + missing + "); " + command(step, m.vacuumdb());
    }

    private String waitFor(Step step, Action.WaitFor w) {
        if (w.condition() != Action.WaitFor.Condition.SERVER_ACCEPTS_CONNECTIONS) {
            throw new StepFailure(step.id() + ": waiting for " + w.condition() + " is not supported by this executor");
        }
        Instant deadline = Instant.now().plus(step.timeout());
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try (SqlSession s = ctx.sql(w.endpoint(), ctx.access(w.endpoint()).maintenanceDatabase(), step.timeout())) {
                return "accepts connections: " + s.query("SELECT pg_catalog.version() AS v").get(0).get("v");
            } catch (TransportException e) {
                last = e.getMessage();
            }
            sleep(Duration.ofSeconds(1));
        }
        throw new StepFailure(step.id() + ": the server did not accept connections within " + step.timeout()
                .toSeconds() + " s: " + last);
    }

    /** Null when the new cluster answers on the cluster's endpoint as the target version; otherwise what answers. */
    public String targetServes() {
        int target = ctx.inventory().target().version();
        java.util.OptionalInt major = ctx.answeringMajor();
        if (major.isEmpty()) {
            return "the new PostgreSQL " + target + " cluster does not answer on port " + ctx.commands().port();
        }
        return major.getAsInt() == target ? null : "a PostgreSQL " + major.getAsInt() + " server answers on port "
                + ctx.commands().port() + ", not the new PostgreSQL " + target + " cluster";
    }

    private String check(Step step, Action.Check k) {
        switch (k.check()) {
            case SOURCE_FINGERPRINT:
                return "checked before the first step";
            case CLUSTER_SHUT_DOWN:
                CommandResult r = ctx.shell(step).run(ctx.commands().controlData(k.cluster().path(),
                        k.cluster().binDir()), step.timeout());
                if (!r.ok()) {
                    throw new StepFailure(step.id() + ": pg_controldata failed: " + r.lastErrorLine());
                }
                ControlData cd = ControlData.parse(r.stdout());
                if (!cd.shutDownCleanly()) {
                    throw new StepFailure(step.id() + ": the old cluster's state is '" + cd.clusterState()
                            + "', not 'shut down'; pg_upgrade must not start");
                }
                return "shut down cleanly at " + cd.get(ControlData.CHECKPOINT_LOCATION).orElse("?");
            default:
                throw new StepFailure(step.id() + ": unknown check '" + k.check() + "'");
        }
    }

    public static String tail(String output) {
        String s = output.strip();
        int cut = s.lastIndexOf('\n', Math.max(0, s.length() - 400));
        return s.length() <= 400 ? s : s.substring(cut < 0 ? s.length() - 400 : cut + 1);
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted");
        }
    }
}
