package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.PatroniNode;
import io.pgmigrate.transport.PatroniRest;
import io.pgmigrate.transport.PatroniRole;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The Patroni steps of an in-place plan (issue #15, docs/patroni-upgrade-notes.md): the pause, Patroni stopped on a
 * member, patroni.yml edited on a member's host, and the waits for a member to lead or run on the new version. Each is
 * bounded by its step's timeout and may run again (a second pause, a stopped Patroni stopped again, a file already
 * edited).
 */
public final class PatroniSteps {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(1);

    private final ExecutionContext ctx;
    private final Function<String, PatroniRest> rest;

    public PatroniSteps(ExecutionContext ctx) {
        this(ctx, PatroniSteps::rest);
    }

    /** A member's REST API as the Patroni steps and the way back ask it: 3 s to connect, 30 s to answer. */
    public static PatroniRest rest(String endpoint) {
        return new PatroniRest(endpoint, Duration.ofSeconds(3), Duration.ofSeconds(30));
    }

    PatroniSteps(ExecutionContext ctx, Function<String, PatroniRest> rest) {
        this.ctx = ctx;
        this.rest = rest;
    }

    /** Pause (or resume) through the first member that answers; then every member that answers reports it. */
    public String pause(Step step, Action.PatroniPause p) {
        String asked;
        try {
            asked = setPause(p.rest(), p.pause(), false, step.timeout());
        } catch (StepFailure e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
        return "Patroni " + (p.pause() ? "paused" : "resumed") + " (through " + asked + "); every running member"
                + " reports it";
    }

    /**
     * Pause (or resume) through the first of {@code endpoints} that answers, then waits until the members report it:
     * every one that answers, or with {@code everyMember} every one. Returns the endpoint asked through; after
     * {@code limit}, throws {@link StepFailure} saying why not.
     */
    public String setPause(List<String> endpoints, boolean pause, boolean everyMember, Duration limit) {
        Instant deadline = ctx.clock().instant().plus(limit);
        String asked = null;
        String last = "no member answered";
        while (true) {
            try {
                if (asked == null) {
                    asked = askPause(endpoints, pause);
                }
                String pending = pending(endpoints, pause, everyMember);
                if (pending == null) {
                    return asked;
                }
                last = pending;
            } catch (TransportException e) {
                last = e.getMessage();
            }
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new StepFailure("Patroni is not " + (pause ? "paused" : "resumed") + " within "
                        + limit.toSeconds() + " s (" + last + ")");
            }
            ActionRunner.sleep(POLL);
        }
    }

    private String askPause(List<String> endpoints, boolean pause) {
        TransportException last = null;
        for (String e : endpoints) {
            try {
                rest.apply(e).pause(pause);
                return e;
            } catch (TransportException ex) {
                last = ex;
            }
        }
        throw last == null ? new TransportException("no Patroni REST endpoint is listed") : last;
    }

    /**
     * Null when the members report the pause asked for: every one that answers (and one does), or with
     * {@code everyMember} every one; else which does not.
     */
    private String pending(List<String> endpoints, boolean pause, boolean everyMember) {
        int answered = 0;
        for (String e : endpoints) {
            PatroniNode n;
            try {
                n = rest.apply(e).node();
            } catch (TransportException ex) {
                if (everyMember) {
                    throw ex;
                }
                continue; // its Patroni is stopped: it reads the pause from the DCS when it starts
            }
            answered++;
            if (n.paused() != pause) {
                return "the member at " + e + " does not report pause=" + pause + " yet";
            }
        }
        return answered == 0 ? "no member answered" : null;
    }

    /** Runs the stop command on the member's host, then waits until its REST API no longer answers. */
    public String stop(Step step, Action.PatroniStop s) {
        HostShell sh = ctx.shell(step);
        CommandResult r = sh.run(s.stop(), step.timeout());
        if (!r.ok()) {
            throw new StepFailure(step.id() + ": stopping Patroni on " + s.member() + " (" + sh.describe() + ") failed: "
                    + r.lastErrorLine());
        }
        Instant deadline = ctx.clock().instant().plus(step.timeout());
        while (answers(s.rest())) {
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new StepFailure(step.id() + ": Patroni on " + s.member() + " still answers at " + s.rest()
                        + " although its stop command succeeded; is ha.patroni.service the way it is run there?");
            }
            ActionRunner.sleep(POLL);
        }
        return "Patroni stopped on " + s.member() + " (its PostgreSQL left running)";
    }

    private boolean answers(String endpoint) {
        try {
            rest.apply(endpoint).node();
            return true;
        } catch (TransportException e) {
            return false;
        }
    }

    /** patroni.yml on the step's host: the old file kept once, then data_dir and bin_dir set, written atomically. */
    public String configure(Step step, Action.PatroniConfig c) {
        HostShell sh = ctx.shell(step);
        CommandResult read = sh.run(List.of("cat", "--", c.path()), FILE_TIMEOUT);
        if (!read.ok()) {
            throw new StepFailure(step.id() + ": cannot read " + c.path() + " on " + sh.describe() + ": "
                    + read.lastErrorLine());
        }
        String yaml = read.stdout();
        String current = PatroniConfigEdit.dataDir(yaml);
        if (current == null || !(current.equals(c.oldDataDir()) || current.equals(c.dataDir()))) {
            throw new StepFailure(step.id() + ": " + c.path() + " on " + sh.describe() + " names data_dir "
                    + (current == null ? "(none)" : current) + ", not the inventory's " + c.oldDataDir()
                    + "; nothing was changed: make the inventory and patroni.yml agree, then plan again");
        }
        String edited;
        List<String> changed = new java.util.ArrayList<>();
        try {
            edited = PatroniConfigEdit.edit(yaml, c.dataDir(), c.binDir(), c.renameParameters(),
                    new java.util.HashSet<>(c.removeParameters()), changed);
        } catch (IllegalArgumentException e) {
            throw new StepFailure(step.id() + ": " + c.path() + " on " + sh.describe() + ": " + e.getMessage());
        }
        if (current.equals(c.oldDataDir())) {
            // the file as the DBA left it, kept once (a run again after a kill finds the kept one and keeps it)
            CommandResult keep = sh.run(List.of("sh", "-c", "test -e \"$2\" || cp -p -- \"$1\" \"$2\"", "sh", c.path(),
                    c.kept()), FILE_TIMEOUT);
            if (!keep.ok()) {
                throw new StepFailure(step.id() + ": cannot keep " + c.path() + " as " + c.kept() + " on "
                        + sh.describe() + ": " + keep.lastErrorLine());
            }
        }
        CommandResult mode = sh.run(List.of("stat", "-c", "%a", "--", c.path()), FILE_TIMEOUT);
        String m = mode.ok() ? mode.stdout().strip() : "600";
        CommandResult w = AtomicWrite.write(sh, c.path(), m, edited, FILE_TIMEOUT);
        if (!w.ok()) {
            throw new StepFailure(step.id() + ": cannot write " + c.path() + " on " + sh.describe() + ": "
                    + w.lastErrorLine());
        }
        return c.path() + " names data_dir " + c.dataDir() + " and bin_dir " + c.binDir() + (changed.isEmpty() ? ""
                : "; postgresql.parameters: " + String.join(", ", changed)) + " (the old one kept as " + c.kept() + ")";
    }

    /** Polls the member's REST API until it leads (or runs) on the major version asked for. */
    public String await(Step step, Action.PatroniWait w) {
        Instant deadline = ctx.clock().instant().plus(step.timeout());
        String last = "nothing read yet";
        while (true) {
            try {
                PatroniNode n = rest.apply(w.rest()).node();
                boolean version = n.serverVersion() != null && n.serverVersion() / 10000 == w.major();
                boolean running = "running".equals(n.state());
                boolean role = w.state() == Action.PatroniWait.State.RUNS || n.role() == PatroniRole.LEADER;
                if (version && running && role) {
                    return w.member() + " " + (w.state() == Action.PatroniWait.State.LEADS ? "leads" : "runs")
                            + " on PostgreSQL " + n.serverVersion() + ", timeline " + n.timeline();
                }
                last = "role " + n.role() + ", state " + n.state() + ", server_version " + n.serverVersion();
            } catch (TransportException e) {
                last = e.getMessage();
            }
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new StepFailure(step.id() + ": " + w.member() + " does not " + (w.state()
                        == Action.PatroniWait.State.LEADS ? "lead" : "run") + " on PostgreSQL " + w.major()
                        + " within " + step.timeout().toSeconds() + " s (" + last + "); see Patroni's log on its host");
            }
            ActionRunner.sleep(POLL);
        }
    }
}
