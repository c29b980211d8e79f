package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.AtomicWrite;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Step;
import io.pgmigrate.replication.SequenceBehind;
import io.pgmigrate.replication.SequenceValue;
import io.pgmigrate.replication.Sequences;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the logical plan copies itself because replication does not: sequences ({@link Sequences}), large objects
 * ({@link LargeObjectCopy}) and files between hosts (pg_hba.conf), through pgmigrate.
 */
final class LogicalCopies {
    private final ExecutionContext ctx;

    LogicalCopies(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    /** Every sequence of {@code from} set on {@code to}; one missing on {@code to}, or left behind, fails the step. */
    String sequences(Step step, Action.CopySequences c) {
        try (SqlSession from = ctx.sql(c.from(), c.database(), step.timeout());
             SqlSession to = ctx.sql(c.to(), c.database(), step.timeout())) {
            List<SequenceValue> values = Sequences.read(from);
            List<SequenceValue> missing = Sequences.write(to, values, 0);
            if (!missing.isEmpty()) {
                throw new StepFailure(step.id() + ": " + missing.size() + " sequence(s) missing on "
                        + c.to().name().toLowerCase() + " in " + c.database() + ": " + missing.stream()
                        .map(SequenceValue::qualifiedName).limit(5).collect(Collectors.joining(", ")));
            }
            List<SequenceBehind> behind = Sequences.behind(values, Sequences.read(to));
            if (!behind.isEmpty()) {
                throw new StepFailure(step.id() + ": " + behind.size() + " sequence(s) still behind after setval: "
                        + behind.get(0).describe());
            }
            return values.size() + " sequence(s) set on " + c.to().name().toLowerCase() + " in " + c.database();
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    /**
     * Every large object of {@code from} on {@code to}, with its oid, owner, privileges, comment and contents; what
     * {@code to} has beside them is removed ({@link LargeObjectCopy}, one transaction on {@code to}).
     */
    String largeObjects(Step step, Action.CopyLargeObjects c) {
        try (SqlSession from = ctx.sql(c.from(), c.database(), step.timeout());
             SqlSession to = ctx.sql(c.to(), c.database(), step.timeout())) {
            return LargeObjectCopy.copy(from, to).describe(c.to().name().toLowerCase(), c.database());
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        }
    }

    /**
     * Read on one host, written atomically with the step's mode on the other; skipped when the copy is there
     * already (same checksum). The contents are never printed or journaled.
     */
    String file(Step step, Action.CopyFile f) {
        HostShell from = ctx.shell(f.from());
        HostShell to = ctx.shell(f.to());
        String want = checksum(step, from, f.fromPath(), true);
        if (want.equals(checksum(step, to, f.toPath(), false))) {
            CommandResult chmod = to.run(List.of("chmod", f.mode(), f.toPath()), step.timeout());
            if (chmod.ok()) {
                return f.toPath() + " on " + to.describe() + " is a copy already";
            }
        }
        CommandResult read = from.run(List.of("cat", "--", f.fromPath()), step.timeout());
        if (!read.ok()) {
            throw new StepFailure(step.id() + ": cannot read " + f.fromPath() + " on " + from.describe() + ": "
                    + read.lastErrorLine());
        }
        // written atomically as Action.WriteFile is, the contents on stdin, never on a command line
        CommandResult write = AtomicWrite.write(to, f.toPath(), f.mode(), read.stdout(), step.timeout());
        if (!write.ok()) {
            throw new StepFailure(step.id() + ": cannot write " + f.toPath() + " on " + to.describe() + ": "
                    + write.lastErrorLine());
        }
        if (!want.equals(checksum(step, to, f.toPath(), true))) {
            throw new StepFailure(step.id() + ": the copy of " + f.fromPath() + " written to " + f.toPath() + " on "
                    + to.describe() + " differs from it (checksum)");
        }
        return "copied " + f.fromPath() + " to " + f.toPath() + " on " + to.describe() + " (mode " + f.mode() + ")";
    }

    /** cksum of the file; "" when it is missing and {@code required} is false. */
    private static String checksum(Step step, HostShell sh, String path, boolean required) {
        CommandResult r = sh.run(List.of("cksum", "--", path), step.timeout());
        if (r.ok()) {
            String out = r.stdout().strip();
            int sp = out.indexOf(' ', out.indexOf(' ') + 1);
            return sp < 0 ? out : out.substring(0, sp);
        }
        if (!required) {
            return "";
        }
        throw new StepFailure(step.id() + ": cannot read " + path + " on " + sh.describe() + ": " + r.lastErrorLine());
    }
}
