package io.pgmigrate.cli;

import io.pgmigrate.app.PlanFiles;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blue/green plan can be made and reviewed, but not run yet: execute (also --dry-run), rollback and cleanup refuse
 * it with one line and exit 2, before they read the inventory, take the lock or reach a host.
 */
class LogicalPlanRefusedTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"execute", "execute --dry-run", "rollback", "cleanup"})
    void everyCommandThatWouldChangeSomethingRefusesALogicalPlan(String command) throws IOException {
        Plan plan = Planner.plan(Inventories.logical(), Facts.healthy().build(), Instant.parse("2026-11-24T10:00:00Z"));
        Path json = PlanFiles.write(plan, dir).json();
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("-i", dir.resolve("missing.yaml").toString(), json.toString()));

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains(json.toString(),
                "is a logical (blue/green) plan", "not built yet", "nothing was changed");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("orders-prod.plan.json",
                    "orders-prod.plan.md");
        }
    }
}
