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
        @JsonSubTypes.Type(value = Action.Pgbouncer.class, name = "pgbouncer"),
        @JsonSubTypes.Type(value = Action.MakeDirectory.class, name = "make-directory"),
        @JsonSubTypes.Type(value = Action.RemoveTree.class, name = "remove-tree"),
        @JsonSubTypes.Type(value = Action.CreatePublication.class, name = "create-publication"),
        @JsonSubTypes.Type(value = Action.DropPublication.class, name = "drop-publication"),
        @JsonSubTypes.Type(value = Action.CreateSubscription.class, name = "create-subscription"),
        @JsonSubTypes.Type(value = Action.AlterSubscription.class, name = "alter-subscription"),
        @JsonSubTypes.Type(value = Action.DropSubscription.class, name = "drop-subscription"),
        @JsonSubTypes.Type(value = Action.DropSlots.class, name = "drop-slots"),
        @JsonSubTypes.Type(value = Action.NothingUnreplicated.class, name = "nothing-unreplicated"),
        @JsonSubTypes.Type(value = Action.FenceOldCluster.class, name = "fence-old-cluster"),
        @JsonSubTypes.Type(value = Action.StandbyReplayed.class, name = "standby-replayed"),
        @JsonSubTypes.Type(value = Action.StandbyCheckpoint.class, name = "standby-checkpoint"),
        @JsonSubTypes.Type(value = Action.StandbyStreams.class, name = "standby-streams"),
        @JsonSubTypes.Type(value = Action.AlterSystem.class, name = "alter-system"),
        @JsonSubTypes.Type(value = Action.PatroniPause.class, name = "patroni-pause"),
        @JsonSubTypes.Type(value = Action.PatroniStop.class, name = "patroni-stop"),
        @JsonSubTypes.Type(value = Action.PatroniConfig.class, name = "patroni-config"),
        @JsonSubTypes.Type(value = Action.PatroniWait.class, name = "patroni-wait"),
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
     * @param logs       where the program writes its own log, shown to the DBA when it fails (pg_upgrade's
     *                   pg_upgrade_output.d, the server log pg_ctl writes); null when stdout and stderr say all
     */
    record RunCommand(List<String> argv, java.util.Map<String, String> env, String onlyIfFile, String workDir,
                      Logs logs) implements Action {
        public RunCommand {
            argv = List.copyOf(argv);
            env = env == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(env));
        }

        public static RunCommand of(List<String> argv) {
            return new RunCommand(argv, null, null, null, null);
        }

        public RunCommand withLogs(Logs l) {
            return new RunCommand(argv, env, onlyIfFile, workDir, l);
        }
    }

    /**
     * A program's own log files on its host: the newest files named like {@code namePattern} (a find -name pattern)
     * under {@code directory}, searched recursively.
     */
    record Logs(String directory, String namePattern) {
    }

    /**
     * A SQL statement on one endpoint.
     *
     * @param endpoint the old cluster (blue) or the new one (green)
     * @param database database to run it in
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
     * A check the executor runs (no side effects), with its expectation in words.
     *
     * @param check    which check
     * @param endpoint the cluster it looks at (WAL level, freeze, fence), or null
     * @param cluster  the data directory it looks at (CLUSTER_SHUT_DOWN), or null
     * @param expected what must hold, for the reviewer
     */
    record Check(CheckKind check, Endpoint endpoint, DataDirectory cluster, String expected) implements Action {
        public static Check of(CheckKind check, String expected) {
            return new Check(check, null, null, expected);
        }

        public static Check on(CheckKind check, Endpoint endpoint, String expected) {
            return new Check(check, endpoint, null, expected);
        }
    }

    /** The checks the executor knows. */
    enum CheckKind {
        /** The source is the cluster the plan was made for (checked before the first step). */
        SOURCE_FINGERPRINT,
        /** pg_controldata of the data directory says "shut down". */
        CLUSTER_SHUT_DOWN,
        /** The endpoint runs with wal_level = logical. */
        WAL_LEVEL_LOGICAL,
        /** No session but pgmigrate's holds a transaction id on the endpoint, and none is prepared. */
        WRITES_FROZEN,
        /** No application role can log in to the endpoint, and none is connected. */
        LOGINS_FENCED,
        /** Placeholder where the inventory has no cutover.switchCommand: fails, since nothing can switch clients. */
        CLIENTS_SWITCHED
    }

    /** A data directory and the binaries that read it. */
    record DataDirectory(String path, String binDir) {
    }

    /**
     * Waits until the step's standby has replayed the stopped primary's shutdown checkpoint: its
     * {@code pg_last_wal_replay_lsn()} is past the "Latest checkpoint location" of the primary's pg_controldata (read
     * on the source's host when the step runs). Fails at the step's timeout, naming the standby and both positions.
     */
    record StandbyReplayed(DataDirectory primary) implements Action {
    }

    /**
     * After the step's standby stopped: its pg_controldata says "shut down in recovery" and its "Latest checkpoint
     * location" is the primary's (PostgreSQL's documented proof that it holds everything the primary wrote).
     */
    record StandbyCheckpoint(DataDirectory primary, DataDirectory standby) implements Action {
    }

    /**
     * Waits until the new primary's pg_stat_replication shows the standby of this application name streaming with
     * nothing left to replay (its replay position at the primary's WAL position when polled).
     */
    record StandbyStreams(String applicationName) implements Action {
    }

    /** {@code ALTER SYSTEM SET name = value} on the endpoint, then {@code pg_reload_conf()}. */
    record AlterSystem(Endpoint endpoint, String name, String value) implements Action {
        /** The statements, the value a quoted literal. */
        public List<String> sql() {
            return List.of("ALTER SYSTEM SET " + io.pgmigrate.pg.SqlIdentifiers.quote(name) + " = "
                    + io.pgmigrate.pg.SqlIdentifiers.literal(value), "SELECT pg_catalog.pg_reload_conf()");
        }
    }

    /**
     * Patroni's maintenance mode on or off for the whole cluster ({@code PATCH /config} on the first member of
     * {@code rest} that answers), then waits until every member whose Patroni runs reports it.
     *
     * @param rest every member's REST API, {@code host:port}
     */
    record PatroniPause(List<String> rest, boolean pause) implements Action {
        public PatroniPause {
            rest = List.copyOf(rest);
        }
    }

    /**
     * Stops Patroni on the step's host ({@code stop}), paused, so that it leaves PostgreSQL running; done once its REST
     * API at {@code rest} no longer answers. {@code start} is how the way back starts it again.
     *
     * @param member the member's name in Patroni
     */
    record PatroniStop(String member, String rest, List<String> stop, List<String> start) implements Action {
        public PatroniStop {
            stop = List.copyOf(stop);
            start = List.copyOf(start);
        }
    }

    /**
     * patroni.yml on the step's host made to name the new version's data directory and binaries
     * ({@code postgresql.data_dir}, {@code postgresql.bin_dir}); the file as it was is kept beside it
     * ({@code path.pgmigrate-old}, the way back). It must name {@code oldDataDir} (or already the new one). The file is
     * edited on its host, line by line (comments and the rest kept); its contents never leave the host's memory and
     * pgmigrate's. Under {@code postgresql.parameters}, the settings the new version no longer has are removed and the
     * renamed ones renamed (names only in the plan, from {@link io.pgmigrate.pg.SettingChanges}).
     *
     * @param renameParameters old name → new name, the value kept
     * @param removeParameters names removed, with their values
     */
    record PatroniConfig(String path, String dataDir, String binDir, String oldDataDir,
                         java.util.Map<String, String> renameParameters, List<String> removeParameters)
            implements Action {
        public PatroniConfig {
            renameParameters = renameParameters == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(renameParameters));
            removeParameters = removeParameters == null ? List.of() : List.copyOf(removeParameters);
        }

        /** Where the file as it was is kept. */
        public String kept() {
            return path + ".pgmigrate-old";
        }
    }

    /**
     * Waits, within the step's timeout, until the member whose REST API is {@code rest} is in the state asked for.
     *
     * @param major the PostgreSQL major version the member must run (LEADS, RUNS)
     */
    record PatroniWait(String member, String rest, State state, int major) implements Action {
        public enum State {
            /** Holds the leader lock, its PostgreSQL running read-write on {@code major}. */
            LEADS,
            /** Its PostgreSQL runs on {@code major} (a replica: streaming is checked by the standby-streams step). */
            RUNS
        }
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

    /** PAUSE or RESUME on pgbouncer's admin console (psql on the database host). */
    record Pgbouncer(Command command) implements Action {
        public enum Command { PAUSE, RESUME }
    }

    /** {@code mkdir -p -m MODE -- PATH} on the step's host. */
    record MakeDirectory(String path, String mode) implements Action {
    }

    /** {@code rm -rf -- PATH} on the step's host. */
    record RemoveTree(String path) implements Action {
    }

    /** {@code CREATE PUBLICATION name FOR ALL TABLES}, skipped when a publication of that name exists. */
    record CreatePublication(Endpoint endpoint, String database, String name) implements Action {
        public String sql() {
            return "CREATE PUBLICATION " + io.pgmigrate.pg.SqlIdentifiers.quote(name) + " FOR ALL TABLES";
        }
    }

    /** {@code DROP PUBLICATION IF EXISTS name}. */
    record DropPublication(Endpoint endpoint, String database, String name) implements Action {
        public String sql() {
            return "DROP PUBLICATION IF EXISTS " + io.pgmigrate.pg.SqlIdentifiers.quote(name);
        }
    }

    /**
     * {@code CREATE SUBSCRIPTION} on {@code endpoint} to the publication of the other cluster, its slot named
     * explicitly; skipped when a subscription of that name exists. The connection string never carries a password.
     *
     * @param copyData   copy the tables first (the initial copy), or only stream what comes after
     * @param originNone {@code origin = none} (subscriber 16 or later): changes it received by replication itself are
     *                   not sent on
     */
    record CreateSubscription(Endpoint endpoint, String database, String name, java.util.Map<String, String> conninfo,
                              String publication, String slot, boolean copyData, boolean originNone)
            implements Action {
        public CreateSubscription {
            conninfo = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(conninfo));
            if (conninfo.keySet().stream().anyMatch(k -> k.contains("pass"))) {
                throw new IllegalArgumentException("a subscription's connection string must not carry a password");
            }
        }

        public String sql() {
            return "CREATE SUBSCRIPTION " + io.pgmigrate.pg.SqlIdentifiers.quote(name) + " CONNECTION "
                    + io.pgmigrate.pg.SqlIdentifiers.literal(io.pgmigrate.pg.Conninfo.of(conninfo)) + " PUBLICATION "
                    + io.pgmigrate.pg.SqlIdentifiers.quote(publication) + " WITH (copy_data = " + copyData
                    + (originNone ? ", origin = none" : "") + ", slot_name = "
                    + io.pgmigrate.pg.SqlIdentifiers.literal(slot) + ")";
        }
    }

    /** {@code ALTER SUBSCRIPTION name ENABLE} or {@code DISABLE}. */
    record AlterSubscription(Endpoint endpoint, String database, String name, boolean enable) implements Action {
        public String sql() {
            return "ALTER SUBSCRIPTION " + io.pgmigrate.pg.SqlIdentifiers.quote(name) + (enable ? " ENABLE" : " DISABLE");
        }
    }

    /** {@code DROP SUBSCRIPTION IF EXISTS name} (drops its slot on the publisher, which must answer). */
    record DropSubscription(Endpoint endpoint, String database, String name) implements Action {
        public String sql() {
            return "DROP SUBSCRIPTION IF EXISTS " + io.pgmigrate.pg.SqlIdentifiers.quote(name);
        }
    }

    /** pgmigrate's replication slots on the endpoint that no subscription uses any more, dropped. */
    record DropSlots(Endpoint endpoint, String database, List<String> slots) implements Action {
        public DropSlots {
            slots = List.copyOf(slots);
        }

        public String sql() {
            return "SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots"
                    + " WHERE slot_name IN (" + slots.stream().map(io.pgmigrate.pg.SqlIdentifiers::literal)
                    .collect(java.util.stream.Collectors.joining(", ")) + ") AND NOT active";
        }
    }

    /**
     * Proof that nothing was written past the frozen point: once the subscription of {@code slot} is disabled and its
     * walsender gone, the slot on {@code publisher} holds no data change of a transaction its subscriber has not
     * confirmed ({@code pg_logical_slot_peek_binary_changes}, nothing consumed). A change there was committed through
     * the freeze and is not on the other side: the step fails, and the cutover is abandoned. Nor did the subscriber
     * apply a transaction committed after the position {@code positionStep} took (its replication origin's
     * {@code remote_lsn} is not past it): one there reached the other side, but was written through the freeze, so the
     * frozen point compares nothing; the cutover is abandoned too.
     *
     * @param subscription the subscription of the slot, on the other cluster (null with localOnly)
     * @param positionStep the WalPosition step that took the frozen point (null with localOnly)
     * @param localOnly after the switch: only transactions written on the publisher by a session count, not those that
     *                  came in by replication (they carry a replication origin); one there is not on the side clients
     *                  work on, and the step fails as a failed comparison
     */
    record NothingUnreplicated(Endpoint publisher, String database, String subscription, String slot,
                               String publication, String positionStep, boolean localOnly) implements Action {
        public static NothingUnreplicated beyond(Endpoint publisher, String database, String subscription,
                                                 String slot, String publication, String positionStep) {
            return new NothingUnreplicated(publisher, database, subscription, slot, publication, positionStep, false);
        }

        public static NothingUnreplicated writtenLocally(Endpoint publisher, String database, String slot,
                                                         String publication) {
            return new NothingUnreplicated(publisher, database, null, slot, publication, null, true);
        }
    }

    /**
     * After the point of no return, on the database host: nothing starts the old cluster by accident any more (a reboot
     * would otherwise start it on the production port beside the new one), and the new one starts at boot where the old
     * one did. Idempotent; a rollback that may still go back undoes it before it starts the old cluster.
     *
     * @param fence        how the host starts clusters (the inventory's {@code source.service})
     * @param oldDataDir   {@link Fence#PG_CONTROL}: the old data directory, whose {@code global/pg_control} is renamed
     *                     to {@code pg_control.old} as pg_upgrade --link does (not twice: --link and --swap did already)
     * @param oldConfigDir {@link Fence#START_CONF}: the old cluster's Debian configuration directory; its
     *                     {@code start.conf} is kept as {@code start.conf.pgmigrate} and then says {@code disabled}
     * @param newConfigDir {@link Fence#START_CONF}: the new cluster's; its {@code start.conf} gets what the old one said
     * @param oldUnit      {@link Fence#SYSTEMD}: disabled
     * @param newUnit      {@link Fence#SYSTEMD}: enabled
     */
    record FenceOldCluster(Fence fence, String oldDataDir, String oldConfigDir, String newConfigDir, String oldUnit,
                           String newUnit) implements Action {
        public enum Fence { PG_CONTROL, START_CONF, SYSTEMD }

        /** The file that says the old cluster cannot start, and the name it had when it could. */
        public static final String CONTROL = "global/pg_control";
        /** Where the old cluster's start.conf is kept while it is fenced (restored by a rollback). */
        public static final String KEPT_START_CONF = "start.conf.pgmigrate";

        public static FenceOldCluster pgControl(String oldDataDir) {
            return new FenceOldCluster(Fence.PG_CONTROL, oldDataDir, null, null, null, null);
        }

        public static FenceOldCluster startConf(String oldConfigDir, String newConfigDir) {
            return new FenceOldCluster(Fence.START_CONF, null, oldConfigDir, newConfigDir, null, null);
        }

        public static FenceOldCluster systemd(String oldUnit, String newUnit) {
            return new FenceOldCluster(Fence.SYSTEMD, null, null, null, oldUnit, newUnit);
        }

        /** {@link Fence#SYSTEMD}: the programs that fence (old unit disabled, then the new one enabled). */
        public List<List<String>> systemdFence() {
            return List.of(systemdDisable(oldUnit), systemdEnable(newUnit));
        }

        /**
         * {@link Fence#SYSTEMD}: the programs that undo it when both units were as the fence expects (the new unit
         * disabled, then the old one enabled); a rollback runs only those a unit's recorded state calls for.
         */
        public List<List<String>> systemdUndo() {
            return List.of(systemdDisable(newUnit), systemdEnable(oldUnit));
        }

        public static List<String> systemdDisable(String unit) {
            return List.of("systemctl", "disable", "--", unit);
        }

        public static List<String> systemdEnable(String unit) {
            return List.of("systemctl", "enable", "--", unit);
        }

        /** {@link Fence#SYSTEMD}: asks whether a unit is enabled (exit 0 when it is). */
        public static List<String> systemdIsEnabled(String unit) {
            return List.of("systemctl", "is-enabled", "--quiet", "--", unit);
        }
    }

    /** A cluster an action talks to over SQL: the old one (blue) or the new one (green; in place, the same endpoint). */
    enum Endpoint { SOURCE, TARGET }
}
