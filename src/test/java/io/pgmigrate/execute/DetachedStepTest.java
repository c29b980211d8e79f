package io.pgmigrate.execute;

import io.pgmigrate.facts.ClusterFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.inventory.Inventory.UpgradeMode;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.Step;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import io.pgmigrate.testing.fakes.FakeCluster;
import io.pgmigrate.testing.fakes.FakeShell;
import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A detached step whose start the host did not answer (SSH lost, the host frozen past the control command's time)
 * asks the start again, which attaches to the program the lost start launched, and waits for it: the step does not
 * fail while its program may run on. A host that answers the start with an error fails the step as before.
 */
class DetachedStepTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    private static final ClusterFacts FACTS = Facts.healthy().build();

    @TempDir
    Path dir;

    private final List<String> verbs = new ArrayList<>();

    private String run(FakeShell host, String stepId) {
        Inventory inv = Inventories.withMode(UpgradeMode.COPY);
        Plan plan = Planner.plan(inv, FACTS, T);
        Step step = plan.steps().stream().filter(s -> s.id().equals(stepId)).findFirst().orElseThrow();
        StringWriter console = new StringWriter();
        ExecutionContext ctx = new ExecutionContext(plan, inv, FACTS.source(), new FakeCluster(host),
                ExecutionFiles.beside(dir.resolve("p.plan.json"), plan.name()), new PrintWriter(console, true), "e1");
        new ActionRunner(ctx, StrategyActions.NONE, (s, d) -> { }).run(step);
        return console.toString();
    }

    /** The detached control script's answer per verb; the first start is lost after it launched the program. */
    private CommandResult control(List<String> argv, boolean refuse) {
        String verb = argv.get(4);
        verbs.add(verb);
        long starts = verbs.stream().filter("start"::equals).count();
        if (verb.equals("start") && refuse) {
            return FakeShell.fails("no setsid on this host (install util-linux)");
        }
        if (verb.equals("start") && starts == 1) {
            throw new TransportException("'sh' on fake-host did not finish within 30 s; it was stopped");
        }
        return switch (verb) {
            case "start" -> FakeShell.ok("- RUNNING - 0 0\n");
            case "status" -> FakeShell.ok(starts == 0 ? "- NOT_STARTED - 0 0\n" : "- FINISHED 0 0 0\n");
            default -> FakeShell.ok("- NOT_STARTED - 0 0\n");
        };
    }

    @Test
    void anUnansweredStartIsAskedAgainAndAttachesToTheProgramItLaunched() {
        FakeShell host = new FakeShell().on("sh", argv -> control(argv, false));
        String console = run(host, "outage.pg-upgrade");
        assertThat(verbs).containsSubsequence("start", "start", "status");
        assertThat(verbs.stream().filter("start"::equals)).hasSize(2);
        assertThat(console).contains("(lost fake-host while starting it: 'sh' on fake-host did not finish within 30 s",
                "asking again, it starts only once)", "(attached to this execution's run of it started earlier: RUNNING)");
    }

    @Test
    void aStartTheHostRefusedFailsTheStep() {
        FakeShell host = new FakeShell().on("sh", argv -> control(argv, true));
        assertThatThrownBy(() -> run(host, "outage.pg-upgrade")).hasMessageContaining("no setsid on this host");
        assertThat(verbs.stream().filter("start"::equals)).hasSize(1);
    }
}
