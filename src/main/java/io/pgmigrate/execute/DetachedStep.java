package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Completion;
import io.pgmigrate.plan.OnTimeout;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.DetachedCommand;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.OutputListener;
import io.pgmigrate.transport.TransportException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A step that must never run twice (or that runs long) runs detached on its host under the step's name, in this
 * execution's state directory: started once, its outcome read back from the host even when SSH or pgmigrate died
 * meanwhile; a second start of the same name attaches to it instead. A connection lost while starting or waiting is
 * opened again and the start or the outcome asked again. A step that must not be interrupted (pg_upgrade) is never
 * stopped by its timeout: past it, pgmigrate warns and keeps waiting. When the program fails, the end of its own log
 * is shown.
 */
final class DetachedStep {
    /** How long a lost connection is tried again before a step that may be stopped gives up waiting for it. */
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(2);
    /** How long a program told to stop (SIGTERM to its group) is given to end before the step fails all the same. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final ExecutionContext ctx;
    private final java.util.function.BiConsumer<Step, Duration> overdue;

    /** @param overdue told each time a step that must not be interrupted passes its timeout again */
    DetachedStep(ExecutionContext ctx, java.util.function.BiConsumer<Step, Duration> overdue) {
        this.ctx = ctx;
        this.overdue = overdue;
    }

    String run(Step step, Action.RunCommand c) {
        DetachedCommand d = ctx.detached(step);
        HostShell sh = ctx.shell(step);
        boolean removesOutput = step.completion() instanceof Completion.OutputFiles;
        if (step.retrySafe() || removesOutput) {
            // (one round trip more, only for the steps that need to know before they start)
            DetachedCommand.Status before = d.status();
            if (step.retrySafe() && (before.state() == DetachedCommand.State.LOST
                    || before.state() == DetachedCommand.State.FINISHED && before.exitCode() != 0)) {
                // a retry-safe step that failed or was lost runs afresh; one that runs or succeeded is attached to
                d.forget();
                before = DetachedCommand.Status.NOT_STARTED;
            }
            if (removesOutput && before.state() == DetachedCommand.State.NOT_STARTED) {
                removeEarlierOutput(step, sh);
            }
        }
        DetachedCommand.Started started = start(step, d, c, sh);
        if (!started.now()) {
            ctx.out().println("      (attached to this execution's run of it started earlier: " + started.status() + ")");
        }
        Deque<String> last = new ArrayDeque<>();
        OutputListener listener = new OutputListener() {
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
        };
        DetachedCommand.Status st = await(step, d, sh, listener);
        switch (st.state()) {
            case FINISHED:
                if (st.exitCode() == 0) {
                    return ActionRunner.tail(String.join("\n", last));
                }
                throw new StepFailure(step.id() + ": '" + c.argv().get(0) + "' on " + sh.describe() + " exited "
                        + st.exitCode() + ": " + (last.isEmpty() ? "" : last.getLast()) + ProgramLogs.show(ctx, sh,
                        c.logs()) + " (output: " + d.path() + ".out)");
            case RUNNING:
                d.stop();
                throw new StepFailure(step.id() + ": did not finish within " + step.timeout().toSeconds()
                        + " s and " + (stopped(d) ? "was stopped" : "was asked to stop, but it still runs on "
                        + sh.describe()) + " (output: " + d.path() + ".out)");
            default:
                throw new StepFailure(step.id() + ": its program is " + st + " on " + sh.describe()
                        + ProgramLogs.show(ctx, sh, c.logs()) + " (output: " + d.path() + ".out)");
        }
    }

    /** Whether the program ended within {@link #STOP_GRACE} of being told to stop (a failure then rolls back safely). */
    private static boolean stopped(DetachedCommand d) {
        try {
            return d.await(STOP_GRACE, OutputListener.NONE).state() != DetachedCommand.State.RUNNING;
        } catch (TransportException e) {
            return false;
        }
    }

    /**
     * Starts the program, or attaches to it. When the host did not answer the start (SSH lost, the host frozen), the
     * program may run there already: the start is asked again, as a lost wait is, since it never launches the name
     * twice. Failing the step instead would roll back under a program that runs on.
     */
    private DetachedCommand.Started start(Step step, DetachedCommand d, Action.RunCommand c, HostShell sh) {
        Instant deadline = ctx.clock().instant().plus(step.timeout());
        while (true) {
            try {
                return d.start(RemoteCommand.argv(c), ctx.workDir(step));
            } catch (DetachedCommand.Unanswered e) {
                lost(step, sh, deadline, e, "whether it started cannot be read", "the program may run there",
                        "while starting it", "asking again, it starts only once");
            }
        }
    }

    /**
     * The host did not answer while the step started or awaited its program: a step that may be stopped gives up once
     * past its deadline (the program may run on there, and a later run attaches to it); any other asks again after a
     * pause, saying so.
     */
    private void lost(Step step, HostShell sh, Instant deadline, TransportException e, String cannot, String mayRun,
                      String during, String next) {
        if (step.onTimeout() == OnTimeout.STOP && !ctx.clock().instant().isBefore(deadline)) {
            throw new StepFailure(step.id() + ": " + cannot + " from " + sh.describe() + " (" + e.getMessage() + "); "
                    + mayRun + ": pgmigrate status, or execute again, attaches to it");
        }
        ctx.out().println("      (lost " + sh.describe() + (during.isEmpty() ? "" : " " + during) + ": "
                + e.getMessage() + "; " + next + ")");
        ctx.out().flush();
        ActionRunner.sleep(RECONNECT_PAUSE);
    }

    /**
     * Waits for the program's end. RUNNING comes back only when the timeout passed for a step that may be stopped.
     * A lost connection is re-established (the transport's circuit breaker paces it) and the outcome read again.
     */
    private DetachedCommand.Status await(Step step, DetachedCommand d, HostShell sh, OutputListener listener) {
        Instant deadline = ctx.clock().instant().plus(step.timeout());
        Instant began = ctx.clock().instant();
        while (true) {
            Duration left = Duration.between(ctx.clock().instant(), deadline);
            try {
                DetachedCommand.Status st = d.await(left.isNegative() ? Duration.ZERO : left, listener);
                if (st.state() != DetachedCommand.State.RUNNING) {
                    return st;
                }
            } catch (TransportException e) {
                lost(step, sh, deadline, e, "its outcome cannot be read", "the program may still run there", "",
                        "reading the outcome again");
                continue;
            }
            if (step.onTimeout() != OnTimeout.KEEP_WAITING) {
                return DetachedCommand.Status.RUNNING;
            }
            Duration running = Duration.between(began, ctx.clock().instant());
            ctx.out().println("  WARNING " + step.id() + " has run " + running.toSeconds() + " s, past its timeout of "
                    + step.timeout().toSeconds() + " s. It is not stopped: interrupting it could leave the clusters"
                    + " half-moved. pgmigrate keeps waiting; to give up, stop pgmigrate (the program runs on, and"
                    + " execute attaches to it again) and follow the plan's rollback rules once it has ended.");
            ctx.out().flush();
            overdue.accept(step, running);
            deadline = ctx.clock().instant().plus(step.timeout());
        }
    }

    /**
     * Output an earlier attempt of the program left (pg_upgrade's delete_old_cluster.sh and update_extensions.sql)
     * would count as this attempt's: it is removed before the program starts.
     */
    private void removeEarlierOutput(Step step, HostShell sh) {
        if (!(step.completion() instanceof Completion.OutputFiles o)) {
            return;
        }
        List<String> argv = new java.util.ArrayList<>(List.of("rm", "-f", "--", o.doneFile()));
        argv.addAll(o.removeBefore());
        var r = sh.run(argv, Duration.ofMinutes(1));
        if (!r.ok()) {
            throw new StepFailure(step.id() + ": cannot remove what an earlier attempt left (" + String.join(", ",
                    argv.subList(3, argv.size())) + ") on " + sh.describe() + ": " + r.lastErrorLine());
        }
    }
}
