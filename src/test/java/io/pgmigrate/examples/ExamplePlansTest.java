package io.pgmigrate.examples;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.InventoryLoader;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.PlanMarkdown;
import io.pgmigrate.planner.Planner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code plans/examples/} true to the code: plans the example inventory against facts recorded
 * from a real PostgreSQL 15 cluster ({@link ExampleFactsIT}), rewrites the example files, and fails
 * when they were out of date so that the change is seen and committed.
 */
class ExamplePlansTest {
    static final Path EXAMPLES = Path.of("plans/examples");
    static final Path FACTS = Path.of("src/test/resources/examples/orders-prod.facts.json");
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    static Plan examplePlan() throws IOException {
        return examplePlan("orders-prod.pgmigrate.yaml");
    }

    /** Blue/green from the same recorded facts: only the inventory differs. */
    static Plan logicalExamplePlan() throws IOException {
        return examplePlan("orders-prod-logical.pgmigrate.yaml");
    }

    private static Plan examplePlan(String inventory) throws IOException {
        Inventory inv = InventoryLoader.load(EXAMPLES.resolve(inventory), Path.of("/home/dba"), "dba");
        ClusterFacts facts = PlanJson.mapper().readValue(Files.readString(FACTS), ClusterFacts.class);
        return Planner.plan(inv, facts, CREATED);
    }

    /**
     * In place with two standbys (issue #15): orders-prod's recorded facts with the standbys StandbyFactsIT recorded
     * on test hosts (db1b rsynced, db1c re-created: db1's postgres could not SSH to it).
     */
    static Plan standbysExamplePlan() throws IOException {
        Inventory inv = InventoryLoader.load(EXAMPLES.resolve("orders-prod-standbys.pgmigrate.yaml"),
                Path.of("/home/dba"), "dba");
        return Planner.plan(inv, standbysFacts(), CREATED);
    }

    /** orders-prod's recorded facts with the standbys StandbyFactsIT recorded. */
    private static ClusterFacts standbysFacts() throws IOException {
        ClusterFacts facts = PlanJson.mapper().readValue(Files.readString(FACTS), ClusterFacts.class);
        List<io.pgmigrate.facts.StandbyFacts> standbys = PlanJson.mapper().readValue(Files.readString(STANDBYS),
                new com.fasterxml.jackson.core.type.TypeReference<>() { });
        return facts.withStandbys(standbys);
    }

    static final Path STANDBYS = Path.of("src/test/resources/examples/orders-prod-standbys.standbys.json");

    /** Under Patroni (issue #15): the standbys example's facts with what the members' REST APIs said. */
    static Plan patroniExamplePlan() throws IOException {
        Inventory inv = InventoryLoader.load(EXAMPLES.resolve("orders-prod-patroni.pgmigrate.yaml"),
                Path.of("/home/dba"), "dba");
        io.pgmigrate.facts.PatroniFacts patroni = PlanJson.mapper().readValue(Files.readString(Path.of(
                "src/test/resources/examples/orders-prod-patroni.patroni.json")), io.pgmigrate.facts.PatroniFacts.class);
        return Planner.plan(inv, standbysFacts().withPatroni(patroni), CREATED);
    }

    @Test
    void examplePlansAreCurrent() throws IOException {
        Plan plan = examplePlan();
        List<String> stale = new ArrayList<>();
        regenerate(EXAMPLES.resolve("orders-prod.plan.json"), PlanJson.write(plan), stale);
        regenerate(EXAMPLES.resolve("orders-prod.plan.md"), PlanMarkdown.render(plan), stale);
        Plan logical = logicalExamplePlan();
        regenerate(EXAMPLES.resolve("orders-prod-logical.plan.json"), PlanJson.write(logical), stale);
        regenerate(EXAMPLES.resolve("orders-prod-logical.plan.md"), PlanMarkdown.render(logical), stale);
        Plan standbys = standbysExamplePlan();
        regenerate(EXAMPLES.resolve("orders-prod-standbys.plan.json"), PlanJson.write(standbys), stale);
        regenerate(EXAMPLES.resolve("orders-prod-standbys.plan.md"), PlanMarkdown.render(standbys), stale);
        Plan patroni = patroniExamplePlan();
        assertThat(patroni.blockers()).as("the Patroni example is ready").isEmpty();
        regenerate(EXAMPLES.resolve("orders-prod-patroni.plan.json"), PlanJson.write(patroni), stale);
        regenerate(EXAMPLES.resolve("orders-prod-patroni.plan.md"), PlanMarkdown.render(patroni), stale);
        assertThat(stale).as("example plans were out of date and have been regenerated; review and commit them")
                .isEmpty();
    }

    @Test
    void theExampleIsReadyAndShowsTheWayBackClosing() throws IOException {
        Plan plan = examplePlan();
        assertThat(plan.ready()).as(plan.blockers().toString()).isTrue();
        String md = PlanMarkdown.render(plan);
        assertThat(md).contains("**Status: READY**", "POINT OF NO RETURN", "PAUSE", "RESUME", "--no-data-checksums");
    }

    @Test
    void theStandbysExampleRsyncsOneAndReCreatesTheOther() throws IOException {
        Plan plan = standbysExamplePlan();
        assertThat(plan.ready()).as(plan.blockers().toString()).isTrue();
        List<String> ids = plan.steps().stream().map(io.pgmigrate.plan.Step::id).toList();
        assertThat(ids).containsSubsequence("outage.stop-old", "outage.standby-replayed.db1b",
                "outage.standby-stop.db1b", "outage.standby-checkpoint.db1b", "outage.standby-replayed.db1c",
                "outage.pg-upgrade", "outage.standby-keep.db1b", "outage.standby-rsync.db1b", "outage.start-new",
                "post.resume-clients", "post.standby-start.db1b", "post.standby-streams.db1b", "post.verify",
                "post.standby-clone.db1c", "post.standby-start.db1c", "post.standby-streams.db1c",
                "cleanup.delete-old-standby.db1b");
        assertThat(ids).doesNotContain("outage.standby-keep.db1c", "post.standby-clone.db1b");
        assertThat(plan.step("outage.standby-rsync.db1b").orElseThrow().host())
                .isEqualTo(io.pgmigrate.plan.HostRole.SOURCE);
        assertThat(PlanMarkdown.render(plan)).contains("rsync --archive --delete --hard-links --size-only"
                + " --no-inc-recursive --relative", "postgres@db1b.internal:/var/lib/postgresql/", "pg_basebackup",
                "Host key verification failed", "DATADIR.pgmigrate-kept");
    }

    @Test
    void theLogicalExampleIsReadyAndShowsWhereRollbackBecomesTheReverseCutover() throws IOException {
        Plan plan = logicalExamplePlan();
        assertThat(plan.ready()).as(plan.blockers().toString()).isTrue();
        String md = PlanMarkdown.render(plan);
        assertThat(md).contains("**Status: READY**", "RESTART OF PRODUCTION", "REVERSE CUTOVER FROM HERE",
                "CREATE PUBLICATION \"pgmigrate_shop\" FOR ALL TABLES", "PAUSE", "RESUME",
                "host=''/var/run/postgresql'' port=''5432''", "/usr/local/bin/pgbouncer-point-at --ini"
                        + " /etc/pgbouncer/pgbouncer.ini green db1.internal 5433")
                .doesNotContain("POINT OF NO RETURN");
        // the data is held at the frozen point and compared after the switch, outside the write outage
        assertThat(plan.step("cutover.verify")).isEmpty();
        assertThat(plan.step("cutover.verify-snapshot").orElseThrow().inOutage()).isTrue();
        io.pgmigrate.plan.Step compare = plan.step("post.verify").orElseThrow();
        assertThat(compare.inOutage()).isFalse();
        assertThat(compare.action()).isEqualTo(new io.pgmigrate.plan.Action.Verify(
                io.pgmigrate.plan.Action.Verify.Stage.LIVE, io.pgmigrate.plan.Action.Verify.Scope.DATA, "exact", false,
                true));
    }

    private static void regenerate(Path file, String content, List<String> stale) throws IOException {
        String old = Files.exists(file) ? Files.readString(file) : "";
        if (!old.equals(content)) {
            Files.writeString(file, content);
            stale.add(file.toString());
        }
    }
}
