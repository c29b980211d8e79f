package io.pgmigrate.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * What a step does, as data. Each kind is a record; the JSON names below are part of the plan
 * format and never change once released.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Action.RunCommand.class, name = "command"),
        @JsonSubTypes.Type(value = Action.RunSql.class, name = "sql"),
        @JsonSubTypes.Type(value = Action.WaitFor.class, name = "wait"),
        @JsonSubTypes.Type(value = Action.Check.class, name = "check"),
        @JsonSubTypes.Type(value = Action.WriteFile.class, name = "write-file"),
        @JsonSubTypes.Type(value = Action.Verify.class, name = "verify"),
})
public sealed interface Action {

    /**
     * A program run on the step's host from an argument list (quoted by the transport, never pasted
     * into a shell).
     *
     * @param argv       program and arguments
     * @param env        environment variables to set (never secrets)
     * @param onlyIfFile run only when this file exists on the host (e.g. pg_upgrade's update_extensions.sql)
     * @param workDir    working directory on the host, or null
     */
    record RunCommand(List<String> argv, java.util.Map<String, String> env, String onlyIfFile, String workDir)
            implements Action {
        public RunCommand {
            argv = List.copyOf(argv);
            env = env == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(env));
        }

        public static RunCommand of(List<String> argv) {
            return new RunCommand(argv, null, null, null);
        }
    }

    /**
     * A SQL statement on one endpoint.
     *
     * @param endpoint source, target (new cluster) or pgbouncer's admin console
     * @param database database to run it in (pgbouncer: "pgbouncer")
     */
    record RunSql(Endpoint endpoint, String database, String sql) implements Action {
    }

    /**
     * Wait until a condition holds, polling.
     *
     * @param condition what to wait for
     * @param argv      for {@link Condition#COMMAND_SUCCEEDS}: the command polled
     */
    record WaitFor(Condition condition, Endpoint endpoint, List<String> argv) implements Action {
        public WaitFor {
            argv = argv == null ? List.of() : List.copyOf(argv);
        }

        public enum Condition { SERVER_ACCEPTS_CONNECTIONS, SERVER_STOPPED, COMMAND_SUCCEEDS }
    }

    /**
     * A named check the executor runs (no side effects), with its expectation in words.
     *
     * @param check    stable id of the check (e.g. {@code source-fingerprint}, {@code cluster-shut-down})
     * @param expected what must hold, for the reviewer
     */
    record Check(String check, String expected) implements Action {
    }

    /** Write a file on the step's host (configuration carried over). Content never holds secrets. */
    record WriteFile(String path, String content, String mode) implements Action {
    }

    /**
     * Verification work: capture a baseline on the old cluster or compare the new one with it; SNAPSHOT
     * holds a snapshot of the new cluster's data before clients return, in which the data comparison after
     * it measures (so that it can run once clients are back).
     *
     * @param scope DATA (row counts, planner statistics, smoke queries: while clients wait) or CATALOG (the
     *              schema: before clients are paused and after they are back); null in plans of 0.x: both
     * @param fingerprints per-table data hashes with the row counts (DATA)
     */
    record Verify(Stage stage, Scope scope, String rowCounts, boolean statistics, boolean fingerprints)
            implements Action {
        public enum Stage { BASELINE, SNAPSHOT, COMPARE }

        public enum Scope { DATA, CATALOG }
    }

    enum Endpoint { SOURCE, TARGET, PGBOUNCER }
}
