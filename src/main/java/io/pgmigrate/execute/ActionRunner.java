package io.pgmigrate.execute;

import io.pgmigrate.pg.ControlData;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.DetachedCommand;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.OutputListener;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Does what one step's action says, on real hosts and servers; a failure is a one-line {@link StepFailure}. */
final class ActionRunner implements AutoCloseable {
    /**
     * Steps allowed to run longer than this (vacuumdb) run detached on the host even when they are
     * retry-safe: a dropped SSH connection must not kill them and make the outage start them over.
     */
    private static final Duration LONG_STEP = Duration.ofMinutes(10);

    private final ExecutionContext ctx;
    /** Verify steps share state: the snapshots one holds for a later one. */
    private final VerifyStep verify;
    /** The blue/green plan's kinds (replication waits, logins, copies, live verification). */
    private final LogicalActions logical;

    ActionRunner(ExecutionContext ctx) {
        this.ctx = ctx;
        this.verify = new VerifyStep(ctx);
        this.logical = new LogicalActions(ctx);
    }

    /** Releases whatever a step left held for a later one (snapshots). */
    @Override
    public void close() {
        verify.close();
    }

    /** Runs the step; returns a short note for the journal. */
    String run(Step step) {
        Action a = step.action();
        java.util.Optional<String> blueGreen = logical.run(step);
        if (blueGreen.isPresent()) {
            return blueGreen.get();
        }
        if (a instanceof Action.RunCommand c) {
            return command(step, c);
        }
        if (a instanceof Action.AnalyzeMissing m) {
            return analyzeMissing(step, m);
        }
        if (a instanceof Action.RunSql q && q.endpoint() == Action.Endpoint.PGBOUNCER) {
            return pgbouncer(step, q.sql());
        }
        if (a instanceof Action.RunSql q) {
            try (SqlSession s = ctx.sql(q.endpoint(), q.database())) {
                java.util.Optional<String> there = logical.checks().alreadyThere(s, q);
                if (there.isPresent()) {
                    return there.get();
                }
                // the step's timeout bounds the statement in the server too (a CHECKPOINT that hangs, say)
                s.execute("SET statement_timeout = " + step.timeout().toMillis());
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
            HostShell sh = ctx.shell(step.host());
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
        throw new IllegalArgumentException("unknown action " + a.getClass().getSimpleName());
    }

    /**
     * pgbouncer's admin console, through psql on the database host: it speaks only the simple protocol and
     * refuses the setup queries JDBC drivers send, and psql is what its admins use. The password, if any,
     * comes from the host's ~/.pgpass.
     */
    String pgbouncer(Step step, String command) {
        CommandResult r = ctx.shell().run(ctx.pgbouncerCommand(command), step.timeout());
        if (!r.ok()) {
            throw new StepFailure(step.id() + ": pgbouncer " + command + " failed from " + ctx.shell().describe() + ": "
                    + r.lastErrorLine());
        }
        return "pgbouncer " + command + " done";
    }

    private String command(Step step, Action.RunCommand c) {
        if (!step.retrySafe() || step.timeout().compareTo(LONG_STEP) > 0) {
            return detached(step, c);
        }
        HostShell sh = ctx.shell(step.host());
        CommandResult r = sh.run(RemoteCommand.argv(c), step.timeout());
        if (!r.ok()) {
            throw new StepFailure(step.id() + ": '" + c.argv().get(0) + "' on " + sh.describe() + " exited "
                    + r.exitCode() + ": " + r.lastErrorLine());
        }
        return tail(r.stdout());
    }

    /**
     * A step that must never run twice (or that runs long) runs detached on the host under the step's name: started once,
     * its outcome read back from the host even when SSH or pgmigrate died meanwhile; a second start of
     * the same name attaches to it instead.
     */
    private String detached(Step step, Action.RunCommand c) {
        DetachedCommand d = ctx.detached(step.id(), step.host());
        String host = ctx.shell(step.host()).describe();
        if (step.retrySafe()) {
            // a retry-safe step that failed or was lost runs afresh; one that runs or succeeded is attached to
            DetachedCommand.Status before = d.status();
            if (before.state() == DetachedCommand.State.LOST
                    || before.state() == DetachedCommand.State.FINISHED && before.exitCode() != 0) {
                d.forget();
            }
        }
        DetachedCommand.Started started = d.start(RemoteCommand.argv(c), ctx.commands().workDir());
        if (!started.now()) {
            ctx.out().println("      (attached to the run started earlier: " + started.status() + ")");
        }
        Deque<String> last = new ArrayDeque<>();
        DetachedCommand.Status st = d.await(step.timeout(), new OutputListener() {
            @Override
            public void onStdout(String line) {
                ctx.out().println("      | " + line);
                ctx.out().flush();
                last.addLast(line);
                if (last.size() > 5) {
                    last.removeFirst();
                }
            }

            @Override
            public void onStderr(String line) {
                onStdout(line);
            }
        });
        switch (st.state()) {
            case FINISHED:
                if (st.exitCode() == 0) {
                    return tail(String.join("\n", last));
                }
                throw new StepFailure(step.id() + ": '" + c.argv().get(0) + "' on " + host + " exited "
                        + st.exitCode() + ": " + (last.isEmpty() ? "" : last.getLast()) + " (output: " + d.path() + ".out)");
            case RUNNING:
                d.stop();
                throw new StepFailure(step.id() + ": did not finish within " + step.timeout().toSeconds()
                        + " s and was stopped (output: " + d.path() + ".out)");
            default:
                throw new StepFailure(step.id() + ": its program is " + st + " on " + host
                        + " (output: " + d.path() + ".out)");
        }
    }

    /**
     * vacuumdb only when some database of the endpoint lacks statistics; the databases are every one
     * vacuumdb --all visits (templates included).
     */
    private String analyzeMissing(Step step, Action.AnalyzeMissing m) {
        java.util.Map<String, Long> missing = new java.util.LinkedHashMap<>();
        try {
            List<String> databases;
            try (SqlSession s = ctx.sql(m.endpoint(), ctx.inventory().source().pg().database())) {
                databases = s.query("SELECT datname FROM pg_catalog.pg_database WHERE datallowconn"
                        + " AND datconnlimit <> -2 ORDER BY 1").stream().map(r -> r.get("datname")).toList();
            }
            for (String db : databases) {
                try (SqlSession s = ctx.sql(m.endpoint(), db)) {
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
            try (SqlSession s = ctx.sql(w.endpoint(), ctx.access(w.endpoint()).maintenanceDatabase())) {
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
    String targetServes() {
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
            case "source-fingerprint":
                return "checked before the first step";
            case "cluster-shut-down":
                CommandResult r = ctx.shell().run(ctx.commands().controlData(ctx.commands().oldData(),
                        ctx.commands().oldBinDir()), step.timeout());
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

    static String tail(String output) {
        String s = output.strip();
        int cut = s.lastIndexOf('\n', Math.max(0, s.length() - 400));
        return s.length() <= 400 ? s : s.substring(cut < 0 ? s.length() - 400 : cut + 1);
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted");
        }
    }
}
