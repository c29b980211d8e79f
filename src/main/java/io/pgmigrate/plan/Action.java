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
        @JsonSubTypes.Type(value = Action.CopyFile.class, name = "copy-file"),
        @JsonSubTypes.Type(value = Action.Logins.class, name = "logins"),
        @JsonSubTypes.Type(value = Action.WalPosition.class, name = "wal-position"),
        @JsonSubTypes.Type(value = Action.WaitForReplication.class, name = "wait-replication"),
        @JsonSubTypes.Type(value = Action.CopySequences.class, name = "copy-sequences"),
        @JsonSubTypes.Type(value = Action.CopyLargeObjects.class, name = "copy-large-objects"),
        @JsonSubTypes.Type(value = Action.AnalyzeMissing.class, name = "analyze-missing"),
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
        /** LIVE (blue/green): blue and green measured as they are now and compared with each other, no baseline. */
        public enum Stage { BASELINE, SNAPSHOT, COMPARE, LIVE }

        public enum Scope { DATA, CATALOG }
    }

    /**
     * A file copied from one host to another through pgmigrate (pg_hba.conf from blue to green): read on one, written
     * atomically with this mode on the other. The content is never part of the plan.
     */
    record CopyFile(HostRole from, String fromPath, HostRole to, String toPath, String mode) implements Action {
    }

    /**
     * Application logins of one cluster blocked or given back, for a cutover without pgbouncer and to fence the side
     * clients left. BLOCK: every role that can log in and is neither a superuser, nor a REPLICATION role, nor the
     * role pgmigrate connects as, is altered to NOLOGIN (the list goes to the journal), then their sessions are
     * terminated. RESTORE: exactly the roles BLOCK changed get LOGIN back.
     */
    record Logins(Endpoint endpoint, Change change) implements Action {
        public enum Change { BLOCK, RESTORE }
    }

    /**
     * Reads the endpoint's current WAL position ({@code pg_current_wal_lsn()}) once writes are frozen, and records it
     * in the journal: the position every subscription must confirm before the switch.
     */
    record WalPosition(Endpoint endpoint) implements Action {
    }

    /**
     * Wait, polling, until one subscription has got somewhere. Progress is measured on the publisher from the
     * subscription's slot ({@code confirmed_flush_lsn}), never from {@code sent_lsn}.
     *
     * @param publisher    where the slot lives (the subscription is on the other cluster)
     * @param database     the database of the publication and of the subscription
     * @param subscription the subscription's name
     * @param slot         its replication slot's name on the publisher
     * @param maxLagBytes  {@link Condition#LAG_BELOW}: WAL not yet confirmed, in bytes
     * @param positionStep {@link Condition#CONFIRMED_POSITION}: the id of the {@link WalPosition} step whose position
     *                     the slot must have confirmed
     */
    record WaitForReplication(Condition condition, Endpoint publisher, String database, String subscription,
                              String slot, long maxLagBytes, String positionStep) implements Action {
        public enum Condition {
            /** Every table of the subscription is 'r' (ready) in pg_subscription_rel: the initial copy is done. */
            TABLES_READY,
            /** The slot's confirmed position is less than maxLagBytes behind the publisher's current WAL position. */
            LAG_BELOW,
            /** The slot's confirmed position has reached the position taken by positionStep. */
            CONFIRMED_POSITION
        }
    }

    /**
     * Sequences are not replicated: every sequence of the database (owned by a column or not) gets the
     * {@code last_value} and {@code is_called} it has on {@code from}, by {@code setval} on {@code to}.
     */
    record CopySequences(Endpoint from, Endpoint to, String database) implements Action {
    }

    /**
     * Large objects live in a system catalog that publications cannot include: every large object of the database is
     * copied from {@code from} to {@code to} with its oid, owner and contents (those {@code to} has already are
     * replaced), so that the oid columns pointing at them stay valid.
     */
    record CopyLargeObjects(Endpoint from, Endpoint to, String database) implements Action {
    }

    /**
     * {@code vacuumdb --missing-stats-only} (the command), run only when some table or materialized view of a
     * database of the endpoint lacks statistics it would build: one catalog query per database first, so that
     * the outage does not wait for vacuumdb's stages of connections when pg_upgrade carried everything over.
     */
    record AnalyzeMissing(Endpoint endpoint, RunCommand vacuumdb) implements Action {
    }

    enum Endpoint { SOURCE, TARGET, PGBOUNCER }
}
