package io.pgmigrate.rehearsal;

import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rehearsal finds what pg_upgrade --check cannot: a PostgreSQL 15 view on a statistics column that
 * PostgreSQL 17 moved away restores nowhere in 18, so pg_upgrade would stop on it inside the outage.
 */
class SchemaRehearsalIT {
    static PgCluster source;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        source = PgCluster.start(15);
        source.createDatabase("shop floor");
        source.sql("shop floor", "CREATE TABLE orders (id bigint PRIMARY KEY, note text)",
                "CREATE VIEW bgwriter_report AS SELECT checkpoints_timed FROM pg_catalog.pg_stat_bgwriter");
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void aViewTheTargetCannotRestoreBlocksThePlanAndIsNamed() throws Exception {
        List<Path> before = rehearsalDirs();
        Path inventory = TestInventory.write(dir, "rehearse", source, TestInventory.localHost(), "link", PgCluster.freePort());
        CliRun run = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(3);
        Plan plan = PlanJson.read(Files.readString(dir.resolve("rehearse.plan.json")));
        assertThat(plan.blockers()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("schema-rehearsal");
            assertThat(f.objects()).singleElement().asString().startsWith("shop floor: CREATE VIEW public.bgwriter_report")
                    .contains("checkpoints_timed");
        });
        assertThat(leftSince(before)).as("the scratch cluster and dumps are removed").isEmpty();
        try (SqlSession s = source.connect("postgres")) {
            assertThat(s.query("SELECT count(*) AS n FROM pg_catalog.pg_stat_activity"
                    + " WHERE application_name = 'pgmigrate-rehearsal'").get(0).getLong("n")).isZero();
        }

        source.sql("shop floor", "DROP VIEW bgwriter_report");
        CliRun clean = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
        assertThat(Files.readString(dir.resolve("rehearse.plan.md"))).contains("Schema rehearsal passed",
                "postgres, shop floor, template1");

        CliRun skipped = CliRun.of("plan", "--no-rehearsal", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(skipped.exitCode()).isZero();
        assertThat(skipped.out()).contains("Schema rehearsal not run (--no-rehearsal)");
    }

    /**
     * Rehearsal directories made since {@code before} that are still there, waiting up to a minute for those of a
     * plan in another test JVM (which removes its own when it ends): the one this test's plan left would stay.
     */
    private static List<Path> leftSince(List<Path> before) throws Exception {
        List<Path> left = List.of();
        for (int i = 0; i < 120; i++) {
            left = rehearsalDirs().stream().filter(p -> !before.contains(p)).toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(500);
        }
        return left;
    }

    private static List<Path> rehearsalDirs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("pgmigrate-rehearsal.")).sorted().toList();
        }
    }

}
