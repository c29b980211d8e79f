package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.journal.JournalEvent;

import io.pgmigrate.journal.Journal;

import io.pgmigrate.execute.ActionRunner;
import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.ExecutionFiles;
import io.pgmigrate.execute.StepFailure;
import io.pgmigrate.execute.VerifyStep;

import io.pgmigrate.inspect.Inspector;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.inventory.TargetEndpoint;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.HostRole;
import io.pgmigrate.plan.Marker;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Step;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.transport.ClusterAccess;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;
import io.pgmigrate.transport.TransportOptions;
import io.pgmigrate.transport.Transports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The logical plan's steps, as the planner wrote them for a real blue (PostgreSQL 15, wal_level = logical) and
 * green (18, running beside it with blue's schema), run one by one through {@link ActionRunner} in the order of
 * the plan: what a DBA would look at after each (publication and subscription there, a rerun "already there",
 * every table ready, rows written before the WAL position on green, sequences not behind, live verification, the
 * application role fenced and given back). Green's provisioning and the schema phase are not run here: green is
 * made by the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogicalActionsIT {
    private static final String TABLE = "CREATE TABLE orders (id bigserial PRIMARY KEY, note text)";
    private PgCluster blue;
    private PgCluster green;
    private Path dir;
    private Plan plan;
    private ClusterAccess source;
    private ClusterAccess target;
    private ActionRunner runner;
    private ExecutionContext ctx;
    private final StringWriter console = new StringWriter();

    @BeforeAll
    void start() throws Exception {
        blue = PgCluster.create(15, PgCluster.Init.defaults());
        blue.appendConfig(java.util.List.of("wal_level = logical"));
        blue.startServer();
        blue.createDatabase("shop");
        blue.sql("postgres", "CREATE ROLE app LOGIN");
        blue.sql("shop", TABLE, "GRANT ALL ON orders, orders_id_seq TO app",
                "INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 500) g");
        green = PgCluster.create(18, PgCluster.Init.defaults());

        dir = Files.createTempDirectory(Path.of("/tmp"), "pgm-logical-actions-");
        // the plan's green is made by the test: its data directory in the plan is where the copied pg_hba.conf goes
        Path greenData = green.root().resolve("green-data");
        Path inventory = TestInventory.logical(dir, "bg", blue, greenData, green.port(),
                "cutover:\n  switchCommand: [/bin/true]\n");
        CliRun made = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(made.exitCode()).as(made.err() + made.out()).isEqualTo(0);
        Path planFile = dir.resolve("bg.plan.json");
        plan = PlanJson.readVerified(planFile);
        Files.createDirectories(greenData);
        io.pgmigrate.testing.OsUser.chownToOwner(greenData);
        green.startServer();
        green.createDatabase("shop");
        green.sql("postgres", "CREATE ROLE app LOGIN");
        green.sql("shop", TABLE, "GRANT ALL ON orders, orders_id_seq TO app");

        Inventory inv = InventoryLoader.load(inventory);
        source = Transports.clusterAccess(inv.source(), TransportOptions.defaults());
        TargetEndpoint g = TargetEndpoint.of(inv);
        target = Transports.clusterAccess(g.host(), g.pg(), g.tunnel(), TransportOptions.defaults());
        var facts = new Inspector().inspect(inv, source, source.shell()).source();
        ctx = new ExecutionContext(plan, inv, facts, source, target,
                ExecutionFiles.beside(planFile, plan.name()), new PrintWriter(console, true), "test",
                java.time.Clock.systemUTC());
        runner = runner(ctx);
    }

    @AfterAll
    void stop() {
        if (runner != null) {
            runner.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {target, source, green, blue}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private String run(String stepId) {
        Step step = plan.step(stepId).orElseThrow(() -> new AssertionError("no step " + stepId + " in the plan"));
        return runner.run(step).note();
    }

    static ActionRunner runner(ExecutionContext ctx) {
        return new ActionRunner(ctx, new LogicalActions(ctx), (step, running) -> { });
    }

    private static Step adHoc(String id, Action action) {
        return io.pgmigrate.testing.Steps.adHoc(id, action, true, true);
    }

    private long scalar(PgCluster c, String db, String sql) {
        try (SqlSession s = c.connect(db)) {
            return s.query(sql).get(0).getLong("n");
        }
    }

    @Test
    @Order(1)
    void checksOfBlueAndACopiedFile() throws Exception {
        assertThat(plan.step("blue-restart.restart")).as("blue runs with wal_level = logical").isEmpty();
        assertThat(runner.run(adHoc("blue-restart.check", Action.Check.on(Action.CheckKind.WAL_LEVEL_LOGICAL, Action.Endpoint.SOURCE,
                "logical"))).note())
                .isEqualTo("wal_level = logical");

        Path hba = green.root().resolve("green-data/pg_hba.conf");
        Files.writeString(hba, "# green's own\n");
        assertThat(run("green.hba")).startsWith("copied ");
        assertThat(Files.readString(hba)).isEqualTo(Files.readString(blue.dataDir().resolve("pg_hba.conf")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hba))).isEqualTo("rw-------");
        assertThat(run("green.hba")).contains("is a copy already");
        assertThat(console.toString()).doesNotContain("host    all");
    }

    @Test
    @Order(2)
    void publicationAndSubscriptionAreCreatedOnceAndTheInitialCopyFinishes() {
        for (String db : java.util.List.of("postgres", "shop")) {
            assertThat(run("replicate.publication." + db)).endsWith("done");
            assertThat(run("replicate.subscription." + db)).endsWith("done");
            assertThat(run("replicate.publication." + db)).isEqualTo("publication \"pgmigrate_" + db + "\" already there");
            assertThat(run("replicate.subscription." + db)).isEqualTo("subscription \"pgmigrate_" + db + "\" already there");
        }
        assertThat(scalar(blue, "shop", "SELECT count(*) AS n FROM pg_publication WHERE pubname = 'pgmigrate_shop'"))
                .isEqualTo(1);
        assertThat(scalar(green, "shop", "SELECT count(*) AS n FROM pg_subscription WHERE subname = 'pgmigrate_shop'"))
                .isEqualTo(1);

        assertThat(run("replicate.initial-copy.shop")).startsWith("initial copy done: \"pgmigrate_shop\": 1 of 1 table ready");
        assertThat(scalar(green, "shop", "SELECT count(*) AS n FROM pg_subscription_rel WHERE srsubstate <> 'r'"))
                .isZero();
        assertThat(scalar(green, "shop", "SELECT count(*) AS n FROM orders")).isEqualTo(500);
        run("replicate.initial-copy.postgres");
        assertThat(run("replicate.caught-up.shop")).contains("behind (below 16 MiB)");
    }

    @Test
    @Order(3)
    void confirmedPositionMeansEveryRowWrittenBeforeItIsOnGreen() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + blue.port() + "/shop",
                "postgres", "")) {
            c.createStatement().execute("SET synchronous_commit = off");
            for (int i = 0; i < 50; i++) {
                c.createStatement().execute("INSERT INTO orders (note) SELECT 'late' FROM generate_series(1, 100)");
            }
        }
        assertThat(run("cutover.prove-frozen")).startsWith("writes are frozen");
        String position = run("cutover.wal-position");
        assertThat(position).startsWith(ReplicationWaits.POSITION_NOTE);
        assertThat(run("cutover.caught-up.shop")).contains("confirmed");
        assertThat(scalar(green, "shop", "SELECT count(*) AS n FROM orders")).isEqualTo(5500);

        // a resumed run (a new runner) finds the position in the typed journal event of the step that took it
        try (Journal journal = Journal.open(ctx.files().journal()); ActionRunner resumed = runner(ctx)) {
            journal.append(new JournalEvent.ExecutionStarted(java.time.Instant.now(), JournalEvent.FORMAT, "test",
                    plan.digest(), io.pgmigrate.execute.Controller.current(), null));
            journal.append(new JournalEvent.StepFinished(java.time.Instant.now(), "cutover.wal-position", 1L,
                    "a note nobody parses", io.pgmigrate.pg.Lsn.parse(position.substring(
                    ReplicationWaits.POSITION_NOTE.length())), false));
            assertThat(resumed.run(plan.step("cutover.caught-up.postgres").orElseThrow()).note())
                    .endsWith("confirmed " + position.substring(ReplicationWaits.POSITION_NOTE.length())
                            + " (cutover.wal-position)");
        }
    }

    @Test
    @Order(4)
    void sequencesOnGreenAreNotBehindBlue() {
        assertThat(scalar(green, "shop", "SELECT last_value AS n FROM orders_id_seq")).isLessThan(5500);
        assertThat(run("cutover.sequences.shop")).startsWith("1 sequence(s) set on target");
        assertThat(scalar(green, "shop", "SELECT last_value AS n FROM orders_id_seq"))
                .isGreaterThanOrEqualTo(scalar(blue, "shop", "SELECT last_value AS n FROM orders_id_seq"));
    }

    @Test
    @Order(4)
    void largeObjectsAreCopiedToGreenAndRemovedThereWithBlue() {
        Action.CopyLargeObjects copy = new Action.CopyLargeObjects(Action.Endpoint.SOURCE, Action.Endpoint.TARGET, "shop");
        assertThat(runner.run(adHoc("cutover.large-objects.shop", copy)).note()).isEqualTo("no large objects in shop");
        blue.sql("shop", "SELECT lo_from_bytea(0, 'blob')");
        assertThat(runner.run(adHoc("cutover.large-objects.shop", copy)).note())
                .isEqualTo("1 large object(s) (4 B) copied to target in shop, 0 removed there");
        assertThat(scalar(green, "shop", "SELECT count(*) AS n FROM pg_largeobject_metadata m"
                + " WHERE lo_get(m.oid) = 'blob'")).isEqualTo(1);
        blue.sql("shop", "SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
        assertThat(runner.run(adHoc("cutover.large-objects.shop", copy)).note())
                .isEqualTo("no large objects in shop, 1 removed from target");
        assertThat(scalar(green, "shop", "SELECT count(*) AS n FROM pg_largeobject_metadata")).isZero();
    }

    @Test
    @Order(5)
    void theFrozenPointHeldInSnapshotsIsComparedLaterAndADeletedRowIsNamed() throws Exception {
        assertThat(run("cutover.schema-check")).startsWith("blue and green agree");
        assertThat(run("cutover.verify-snapshot")).startsWith("snapshots held at the frozen point");
        // a write after the frozen point (clients on green) is not part of the comparison
        green.sql("shop", "INSERT INTO orders (id, note) VALUES (99999, 'after the switch')");
        assertThat(run("post.verify")).startsWith("blue and green agree").contains("at the frozen point");

        green.sql("shop", "DELETE FROM orders WHERE id IN (99999, 4242)");
        run("cutover.verify-snapshot");
        assertThatThrownBy(() -> run("post.verify")).isInstanceOf(VerifyStep.VerificationFailed.class)
                .hasMessageContaining("live verification failed at the frozen point");
        String report = Files.readString(dir.resolve(Files.list(dir).map(Path::getFileName).map(Path::toString)
                .filter(n -> n.endsWith(".md") && n.contains("verif")).findFirst().orElseThrow()));
        assertThat(report).contains("4242");
        // the snapshots are gone (released, or lost with an earlier run): measured live, a difference only warns
        assertThat(run("post.verify")).startsWith("blue and green agree").contains("live");
    }

    @Test
    @Order(6)
    void blueIsFencedForTheApplicationRoleAndGivenBackExactly() throws Exception {
        blue.sql("postgres", "CREATE ROLE locked_before NOLOGIN");
        Connection appSession = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + blue.port() + "/shop",
                "app", "");
        assertThat(run("cutover.freeze")).isEqualTo("blocked roles: \"app\"; 1 session(s) terminated");
        assertThat(scalar(blue, "postgres", "SELECT count(*) AS n FROM pg_roles WHERE rolname = 'app' AND rolcanlogin"))
                .isZero();
        assertThatThrownBy(() -> appSession.createStatement().execute("SELECT 1")).isInstanceOf(java.sql.SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + blue.port() + "/shop",
                "app", "")).hasMessageContaining("not permitted to log in");
        assertThat(run("cutover.freeze")).as("a rerun keeps the list").startsWith("blocked roles: \"app\"");
        assertThat(run("cutover.fence-blue")).isEqualTo("no role but pgmigrate's own can log in, no fenced role is connected");

        assertThat(run("rollback.unfence-blue")).isEqualTo("logins restored: \"app\"");
        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + blue.port() + "/shop", "app", "").close();
        assertThat(scalar(blue, "postgres", "SELECT count(*) AS n FROM pg_roles WHERE rolname = 'locked_before'"
                + " AND rolcanlogin")).isZero();
        assertThat(scalar(green, "postgres", "SELECT count(*) AS n FROM pg_roles WHERE rolname = 'app' AND rolcanlogin"))
                .as("green untouched").isOne();
    }

    @Test
    @Order(7)
    void statementsRunOnGreenAndCleanupLeavesNothing() {
        run("cutover.stop-forward.shop");
        assertThat(scalar(green, "shop", "SELECT count(*) AS n FROM pg_subscription WHERE subenabled"
                + " AND subname = 'pgmigrate_shop'")).isZero();
        // blue's forward slot, stopped: nothing written there directly yet; a session that bypassed the freeze then
        // writes one row, and both proofs name it (the other side lacks it)
        assertThat(run("post.nothing-written-on-blue.shop")).isEqualTo("nothing was written on blue directly since"
                + " the frozen point");
        blue.sql("shop", "INSERT INTO orders (id, note) VALUES (77777, 'straight into blue')");
        assertThatThrownBy(() -> run("post.nothing-written-on-blue.shop"))
                .isInstanceOf(VerifyStep.VerificationFailed.class)
                .hasMessageContaining("1 data change(s) were written on blue directly since the frozen point");
        assertThatThrownBy(() -> run("cutover.nothing-left.shop")).isInstanceOf(StepFailure.class)
                .hasMessageContaining("1 data change(s) committed after the frozen point never reached the subscriber");
        for (String id : java.util.List.of("cleanup.forward-subscription.postgres", "cleanup.forward-subscription.shop",
                "cleanup.publication.postgres", "cleanup.publication.shop", "cleanup.blue-slots")) {
            try {
                run(id);
            } catch (TransportException | StepFailure e) {
                throw new AssertionError(id + ": " + e.getMessage(), e);
            }
        }
        assertThat(scalar(blue, "postgres", "SELECT count(*) AS n FROM pg_replication_slots")).isZero();
    }
}
