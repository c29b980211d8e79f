package io.pgmigrate.plan;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.facts.SourceFacts.ExtensionFacts;
import io.pgmigrate.planner.Planner;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The two refusals execute builds on: a tampered plan file, and a source that changed since the plan. */
class PlanIntegrityTest {
    @TempDir
    Path dir;

    private static Plan plan() {
        return Planner.plan(Inventories.sample(), Facts.healthy().build(), Instant.parse("2026-11-24T10:00:00Z"));
    }

    @Test
    void anUntouchedPlanFileReadsBack() throws Exception {
        Path file = dir.resolve("p.plan.json");
        Files.writeString(file, PlanJson.write(plan()));
        assertThat(PlanJson.readVerified(file)).isEqualTo(plan());
    }

    @Test
    void aStepEditedByHandIsATamperedPlan() throws Exception {
        Path file = dir.resolve("p.plan.json");
        Files.writeString(file, PlanJson.write(plan()).replace("--jobs=4", "--jobs=64"));
        assertThatThrownBy(() -> PlanJson.readVerified(file)).isInstanceOfSatisfying(PgMigrateException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.STALE_PLAN);
            assertThat(e.getMessage()).contains("changed after pgmigrate plan wrote it", plan().digest());
        });
    }

    @Test
    void somethingElseIsBadInput() throws Exception {
        Path file = dir.resolve("p.plan.json");
        Files.writeString(file, "{\"name\": 1}");
        assertThatThrownBy(() -> PlanJson.readVerified(file)).isInstanceOfSatisfying(PgMigrateException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT));
        assertThatThrownBy(() -> PlanJson.readVerified(dir.resolve("missing.json")))
                .isInstanceOfSatisfying(PgMigrateException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT));
    }

    @Test
    void theSameClusterHasNoDifferencesEvenAfterItGrew() {
        Facts grown = Facts.healthy();
        grown.databases.set(1, Facts.db("shop", 9_000_000_000L, 900));
        assertThat(FingerprintDiff.differences(plan().fingerprint(),
                Planner.fingerprint(grown.build().source()))).isEmpty();
    }

    @Test
    void whatChangedIsNamed() {
        Facts changed = Facts.healthy();
        changed.systemIdentifier = "7300000000000000999";
        changed.version = io.pgmigrate.pg.PgVersion.parse("15.19");
        changed.databases.set(1, Facts.db("shop", 2_000_000_000L, 420, new ExtensionFacts("citext", "1.6", "public")));
        changed.databases.add(Facts.db("reports", 1, 1));
        changed.settings.put("max_connections", "300");
        assertThat(FingerprintDiff.differences(plan().fingerprint(), Planner.fingerprint(changed.build().source())))
                .containsExactly(
                        "system identifier: 7300000000000000001 in the plan, 7300000000000000999 now",
                        "server version: 15.18 in the plan, 15.19 now",
                        "database reports was created since the plan",
                        "database shop extensions: plpgsql@1.0 in the plan, citext@1.6, plpgsql@1.0 now",
                        "setting max_connections: 100 in the plan, 300 now");
    }
}
