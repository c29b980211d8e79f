package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Phase;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PhaseKind;
import io.pgmigrate.plan.Step;
import io.pgmigrate.plan.StepRole;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.ShellQuoting;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code execute --dry-run} for staging: the pre-flight's read-only work runs for real (a scratch cluster
 * made with the planned initdb flags, {@code pg_upgrade --check} against the running old cluster, the
 * scratch removed), in a temporary work directory instead of the plan's; every other step is printed in
 * order with its host and exact command, and nothing else is run.
 */
public final class DryRun {
    /** Pre-flight steps that only create and remove a scratch cluster: run for real. */
    static final Set<StepRole> RUN_FOR_REAL = Set.of(StepRole.SCRATCH_CREATE, StepRole.UPGRADE_CHECK,
            StepRole.SCRATCH_REMOVE);
    private static final Pattern SAFE_DIR = Pattern.compile("/tmp/pgmigrate-dryrun\\.[A-Za-z0-9]+");

    private final Plan plan;
    private final HostShell source;
    private final PrintWriter out;

    public DryRun(Plan plan, HostShell source, PrintWriter out) {
        this.plan = plan;
        this.source = source;
        this.out = out;
    }

    /** What the dry run found: the pre-flight's failure (null when it passed) and how many steps were printed. */
    public record Result(String preflightFailure, int printed) {
    }

    public Result run() {
        CommandResult mk = source.run(List.of("mktemp", "-d", "/tmp/pgmigrate-dryrun.XXXXXXXX"), Duration.ofMinutes(1));
        String tmp = mk.stdout().strip();
        if (!mk.ok() || !SAFE_DIR.matcher(tmp).matches()) {
            return new Result("cannot create a temporary work directory on " + source.describe() + ": "
                    + mk.lastErrorLine(), 0);
        }
        // mktemp made it new, 0700 and ours; checked all the same, as every directory pgmigrate works in
        String refused = io.pgmigrate.transport.PrivateDirectory.check(source, tmp, Duration.ofMinutes(1));
        if (refused != null) {
            return new Result(refused, 0);
        }
        try {
            return walk(tmp);
        } finally {
            plan.steps().stream().filter(s -> s.role() == StepRole.SCRATCH_REMOVE
                    && s.action() instanceof Action.RemoveTree).findFirst().ifPresent(remove -> source.run(
                    List.of("rm", "-rf", "--", ((Action.RemoveTree) remove.action()).path()), remove.timeout()));
            source.run(List.of("rm", "-rf", "--", tmp), Duration.ofMinutes(1));
        }
    }

    private Result walk(String tmp) {
        String workDir = workDir();
        String failure = null;
        int n = 0;
        for (Phase phase : plan.phases()) {
            out.println("== " + phase.title());
            for (Step step : phase.steps()) {
                n++;
                boolean real = RUN_FOR_REAL.contains(step.role()) && failure == null;
                String line = describe(step, workDir, tmp);
                out.printf("  %2d. %-28s %s%n      %s %s%n", n, step.id(), step.title(),
                        real ? "runs:" : "would run:", line);
                if (real) {
                    CommandResult r = source.run(realArgv(step, workDir, tmp), step.timeout());
                    out.println("      -> exit " + r.exitCode() + (r.ok() ? "" : ": " + r.lastErrorLine()));
                    if (!r.ok()) {
                        failure = step.id() + " failed: " + r.lastErrorLine();
                    }
                }
            }
        }
        out.flush();
        return new Result(failure, n);
    }

    /** What a step run for real runs: its command with the work directory relocated, or the scratch removed. */
    private static List<String> realArgv(Step step, String workDir, String tmp) {
        if (step.action() instanceof Action.RemoveTree r) {
            return List.of("rm", "-rf", "--", r.path());
        }
        return RemoteCommand.argv(relocated((Action.RunCommand) step.action(), workDir, tmp));
    }

    private String describe(Step step, String workDir, String tmp) {
        String host = "on " + step.host().name().toLowerCase() + (step.standby() == null ? ""
                : step.host() == io.pgmigrate.plan.HostRole.STANDBY ? " " + step.standby() : " for " + step.standby());
        if (RUN_FOR_REAL.contains(step.role())) {
            return host + ": " + ShellQuoting.join(realArgv(step, workDir, tmp));
        }
        if (step.action() instanceof Action.RunCommand c) {
            return host + ": " + ShellQuoting.join(RemoteCommand.argv(c));
        }
        if (step.action() instanceof Action.MakeDirectory d) {
            return host + ": mkdir -p -m " + d.mode() + " -- " + d.path();
        }
        if (step.action() instanceof Action.RemoveTree r) {
            return host + ": rm -rf -- " + r.path();
        }
        if (step.action() instanceof Action.Pgbouncer b) {
            return host + ": " + b.command() + " on pgbouncer's admin console";
        }
        if (step.action() instanceof Action.AnalyzeMissing a) {
            return host + ": when statistics are missing: " + ShellQuoting.join(RemoteCommand.argv(a.vacuumdb()));
        }
        if (step.action() instanceof Action.RunSql q) {
            return host + ": SQL on " + q.endpoint().name().toLowerCase() + "/" + q.database() + ": " + q.sql();
        }
        if (step.action() instanceof Action.WriteFile f) {
            return host + ": write " + f.path() + " (" + f.content().lines().count() + " lines, mode " + f.mode() + ")";
        }
        if (step.action() instanceof Action.Check k) {
            return host + ": check " + k.check().name().toLowerCase().replace('_', '-') + ": " + k.expected();
        }
        if (step.action() instanceof Action.WaitFor w) {
            return host + ": wait until " + w.condition().name().toLowerCase().replace('_', ' ');
        }
        if (step.action() instanceof Action.FenceOldCluster f) {
            return host + ": " + fence(f);
        }
        if (step.action() instanceof Action.Verify v && v.stage() == Action.Verify.Stage.SNAPSHOT) {
            return host + ": verification snapshot (held for the data comparison)";
        }
        if (step.action() instanceof Action.Verify v) {
            return host + ": verification " + v.stage().name().toLowerCase() + " (row counts " + v.rowCounts() + ")";
        }
        if (step.action() instanceof Action.StandbyReplayed r) {
            return host + ": wait until its replay position is past the shutdown checkpoint in pg_controldata of "
                    + r.primary().path() + " (on the primary's host)";
        }
        if (step.action() instanceof Action.StandbyCheckpoint c) {
            return host + ": check that pg_controldata of " + c.standby().path() + " says 'shut down in recovery' at the"
                    + " primary's shutdown checkpoint";
        }
        if (step.action() instanceof Action.StandbyStreams w) {
            return host + ": wait until the new primary shows " + w.applicationName() + " streaming with no lag";
        }
        if (step.action() instanceof Action.AlterSystem a) {
            return host + ": SQL on " + a.endpoint().name().toLowerCase() + ": " + String.join("; ", a.sql());
        }
        if (step.action() instanceof Action.PatroniPause p) {
            return host + ": Patroni " + (p.pause() ? "paused" : "resumed") + " (PATCH /config on " + p.rest().get(0)
                    + " or another member)";
        }
        if (step.action() instanceof Action.PatroniStop p) {
            return host + ": stop Patroni on " + p.member() + ": " + ShellQuoting.join(p.stop());
        }
        if (step.action() instanceof Action.PatroniConfig c) {
            return host + ": " + c.path() + ": data_dir " + c.dataDir() + ", bin_dir " + c.binDir() + " (kept as "
                    + c.kept() + ")";
        }
        if (step.action() instanceof Action.PatroniWait w) {
            return host + ": wait until " + w.member() + " " + w.state().name().toLowerCase() + " on PostgreSQL "
                    + w.major();
        }
        return host + ": " + replication(step.action());
    }

    /** The old cluster's fence, one line. */
    static String fence(Action.FenceOldCluster f) {
        return switch (f.fence()) {
            case PG_CONTROL -> "mv -- " + f.oldDataDir() + "/" + Action.FenceOldCluster.CONTROL + " "
                    + f.oldDataDir() + "/" + Action.FenceOldCluster.CONTROL + ".old (unless pg_upgrade did)";
            case START_CONF -> "keep " + f.oldConfigDir() + "/start.conf as " + Action.FenceOldCluster.KEPT_START_CONF
                    + ", copy it to " + f.newConfigDir() + "/start.conf, then the old one says disabled";
            case SYSTEMD -> f.systemdFence().stream().map(ShellQuoting::join)
                    .collect(java.util.stream.Collectors.joining(" && "));
        };
    }

    /** The blue/green kinds, one line each. */
    static String replication(Action action) {
        if (action instanceof Action.CopyFile f) {
            return "copy " + f.fromPath() + " (" + f.from().name().toLowerCase() + ") to " + f.toPath() + " ("
                    + f.to().name().toLowerCase() + "), mode " + f.mode();
        }
        if (action instanceof Action.Logins l) {
            return l.change().name().toLowerCase() + " application logins on " + l.endpoint().name().toLowerCase();
        }
        if (action instanceof Action.WalPosition p) {
            return "read the current WAL position of " + p.endpoint().name().toLowerCase();
        }
        if (action instanceof Action.WaitForReplication w) {
            return "wait until " + w.condition().name().toLowerCase().replace('_', ' ') + ": subscription "
                    + w.subscription() + " (database " + w.database() + ", slot " + w.slot() + " on "
                    + w.publisher().name().toLowerCase() + ")";
        }
        if (action instanceof Action.CopySequences c) {
            return "copy the sequences of database " + c.database() + " from " + c.from().name().toLowerCase() + " to "
                    + c.to().name().toLowerCase();
        }
        if (action instanceof Action.CreatePublication c) {
            return "SQL on " + c.endpoint().name().toLowerCase() + "/" + c.database() + ": " + c.sql();
        }
        if (action instanceof Action.DropPublication c) {
            return "SQL on " + c.endpoint().name().toLowerCase() + "/" + c.database() + ": " + c.sql();
        }
        if (action instanceof Action.CreateSubscription c) {
            return "SQL on " + c.endpoint().name().toLowerCase() + "/" + c.database() + ": " + c.sql();
        }
        if (action instanceof Action.AlterSubscription c) {
            return "SQL on " + c.endpoint().name().toLowerCase() + "/" + c.database() + ": " + c.sql();
        }
        if (action instanceof Action.DropSubscription c) {
            return "SQL on " + c.endpoint().name().toLowerCase() + "/" + c.database() + ": " + c.sql();
        }
        if (action instanceof Action.DropSlots c) {
            return "SQL on " + c.endpoint().name().toLowerCase() + "/" + c.database() + ": " + c.sql();
        }
        if (action instanceof Action.NothingUnreplicated n) {
            return "prove that slot " + n.slot() + " on " + n.publisher().name().toLowerCase() + " (database "
                    + n.database() + ") holds no change its subscriber lacks";
        }
        if (action instanceof Action.CopyLargeObjects c) {
            return "copy the large objects of database " + c.database() + " from " + c.from().name().toLowerCase()
                    + " to " + c.to().name().toLowerCase();
        }
        throw new IllegalArgumentException("unknown action " + action.getClass().getSimpleName());
    }

    /** The plan's work directory in arguments and cwd replaced by the dry run's temporary one. */
    static Action.RunCommand relocated(Action.RunCommand c, String workDir, String tmp) {
        if (workDir == null) {
            return c;
        }
        List<String> argv = new ArrayList<>();
        for (String a : c.argv()) {
            argv.add(a.replace(workDir, tmp));
        }
        String wd = c.workDir() == null ? null : c.workDir().replace(workDir, tmp);
        return new Action.RunCommand(argv, c.env(), c.onlyIfFile(), wd, c.logs());
    }

    /** The work directory the plan creates in its pre-flight. */
    private String workDir() {
        return plan.phase(PhaseKind.PREFLIGHT).flatMap(p -> p.steps().stream()
                .filter(s -> s.action() instanceof Action.MakeDirectory).findFirst())
                .map(s -> ((Action.MakeDirectory) s.action()).path()).orElse(null);
    }

}
