package io.pgmigrate.execute;

import com.fasterxml.jackson.core.type.TypeReference;
import io.pgmigrate.pg.ControlData;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Does what one step's action says, on real hosts and servers; a failure is a one-line {@link StepFailure}. */
final class ActionRunner {
    private static final String WRITE_FILE = "umask 077; printf %s \"$1\" > \"$2.pgmigrate-tmp\" && chmod \"$3\""
            + " \"$2.pgmigrate-tmp\" && mv -f \"$2.pgmigrate-tmp\" \"$2\"";

    private final ExecutionContext ctx;

    ActionRunner(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    /** Runs the step; returns a short note for the journal. */
    String run(Step step) {
        Action a = step.action();
        if (a instanceof Action.RunCommand c) {
            return command(step, c);
        }
        if (a instanceof Action.RunSql q) {
            try (SqlSession s = ctx.sql(q.endpoint(), q.database())) {
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
            CommandResult r = ctx.shell().run(List.of("sh", "-c", WRITE_FILE, "sh", f.content(), f.path(), f.mode()),
                    step.timeout());
            if (!r.ok()) {
                throw new StepFailure(step.id() + ": cannot write " + f.path() + " on " + ctx.shell().describe() + ": "
                        + r.lastErrorLine());
            }
            return "wrote " + f.path();
        }
        if (a instanceof Action.Verify v) {
            return verify(step, v);
        }
        throw new IllegalArgumentException("unknown action " + a.getClass().getSimpleName());
    }

    private String command(Step step, Action.RunCommand c) {
        CommandResult r = ctx.shell().run(RemoteCommand.argv(c), step.timeout());
        if (!r.ok()) {
            throw new StepFailure(step.id() + ": '" + c.argv().get(0) + "' on " + ctx.shell().describe() + " exited "
                    + r.exitCode() + ": " + r.lastErrorLine());
        }
        return tail(r.stdout());
    }

    private String waitFor(Step step, Action.WaitFor w) {
        if (w.condition() != Action.WaitFor.Condition.SERVER_ACCEPTS_CONNECTIONS) {
            throw new StepFailure(step.id() + ": waiting for " + w.condition() + " is not supported by this executor");
        }
        Instant deadline = Instant.now().plus(step.timeout());
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try (SqlSession s = ctx.sql(w.endpoint(), ctx.inventory().source().pg().database())) {
                return "accepts connections: " + s.query("SELECT pg_catalog.version() AS v").get(0).get("v");
            } catch (TransportException e) {
                last = e.getMessage();
            }
            sleep(Duration.ofSeconds(1));
        }
        throw new StepFailure(step.id() + ": the server did not accept connections within " + step.timeout()
                .toSeconds() + " s: " + last);
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

    private String verify(Step step, Action.Verify v) {
        if ("off".equals(v.rowCounts())) {
            return "row counts off in the inventory";
        }
        Map<String, Map<String, Long>> counts = RowCounts.count(ctx.facts().databases(), ctx.source()::connect);
        try {
            if (v.stage() == Action.Verify.Stage.BASELINE) {
                Files.writeString(ctx.baselineFile(), PlanJson.write(counts));
                return "baseline: " + counts.values().stream().mapToInt(Map::size).sum() + " tables counted";
            }
            Map<String, Map<String, Long>> before = PlanJson.mapper().readValue(Files.readString(ctx.baselineFile()),
                    new TypeReference<Map<String, Map<String, Long>>>() { });
            List<String> diffs = RowCounts.differences(before, counts);
            if (!diffs.isEmpty()) {
                throw new StepFailure(step.id() + ": row counts differ from the baseline: " + String.join("; ", diffs));
            }
            return "row counts equal in " + counts.values().stream().mapToInt(Map::size).sum() + " tables";
        } catch (IOException e) {
            throw new StepFailure(step.id() + ": baseline file " + ctx.baselineFile() + ": " + e.getMessage());
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
