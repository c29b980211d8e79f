package io.pgmigrate.execute;

import io.pgmigrate.testing.CliRun;
import io.pgmigrate.testing.Dumps;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.TestInventory;
import io.pgmigrate.testing.TestSshd;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.testing.VersionFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #13, the version matrix: {@link VersionFixture} taken from each source the toolchain has to PostgreSQL 18
 * by the real CLI — in place over the test sshd (swap, and copy once) and blue/green — then {@code verify}. Each
 * run must complete, verify with no unexplained difference, and hold the same data (a data-only dump by 18's
 * pg_dump, large objects included, before and after). After an in-place run, damage a DBA could do by mistake is
 * then done to the new cluster, and {@code verify} must name each piece of it.
 * (PostgreSQL 17 cannot be built here: its pairs run where the toolchain has it.)
 */
class VersionMatrixIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} → 18 in place, {1}")
    @CsvSource({"13, swap", "15, swap", "13, copy", "17, swap"})
    void inPlace(int source, String mode) throws Exception {
        Assumptions.assumeTrue(Toolchain.has(source), "PostgreSQL " + source + " is not in the toolchain here");
        try (PgCluster pg = PgCluster.start(source)) {
            VersionFixture.create(pg);
            String data = dataDump(pg.port());
            String name = "m" + source + mode;
            Path inventory = TestInventory.write(dir, name, pg, TestInventory.sshHost(TestSshd.shared()), mode,
                    PgCluster.freePort());
            Path plan = dir.resolve(name + ".plan.json");
            try {
                planAndExecute(inventory, plan);
                assertThat(ExecuteIT.serverMajor(pg)).isEqualTo(18);
                assertThat(dataDump(pg.port())).as("the same rows and large objects").isEqualTo(data);

                CliRun verify = CliRun.of("verify", "-i", inventory.toString(), plan.toString());
                assertThat(verify.exitCode()).as(verify.err() + verify.out()).isZero();
                String report = Files.readString(dir.resolve(name + ".verify.md"));
                assertThat(report).contains("MAINTAIN").doesNotContain("(expected:");

                pg.sql(VersionFixture.DATABASE,
                        "ALTER TABLE public.kids DROP CONSTRAINT kids_amount_positive",
                        "CREATE OR REPLACE VIEW public.recent_orders AS SELECT id, region, placed FROM orders"
                                + " WHERE placed > CURRENT_DATE - 30",
                        "REVOKE INSERT ON public.orders FROM clerk",
                        "ALTER TABLE public.shipments ALTER sent SET DEFAULT now()",
                        "DROP INDEX public.regions_name_idx");
                CliRun damaged = CliRun.of("verify", "-i", inventory.toString(), plan.toString());
                assertThat(damaged.exitCode()).as(damaged.out()).isNotZero();
                assertThat(Files.readString(dir.resolve(name + ".verify.md"))).contains(
                        "constraint kids_amount_positive on public.kids: missing after",
                        "view public.recent_orders: definition changed",
                        "table public.orders: acl changed",
                        "column public.shipments.sent: default changed from (none) to 'now()'",
                        "index public.regions_name_idx: missing after");
            } finally {
                pg.stopUpgraded();
            }
        }
    }

    @ParameterizedTest(name = "{0} → 18 blue/green")
    @ValueSource(ints = {13, 15, 17})
    void blueGreen(int source) throws Exception {
        Assumptions.assumeTrue(Toolchain.has(source), "PostgreSQL " + source + " is not in the toolchain here");
        try (PgCluster blue = PgCluster.create(source, PgCluster.Init.defaults())) {
            blue.appendConfig(List.of("wal_level = logical"));
            blue.startServer();
            VersionFixture.create(blue);
            String data = dataDump(blue.port());
            String name = "bg" + source;
            int greenPort = PgCluster.freePort();
            Path greenData = blue.root().resolve("green");
            Path inventory = TestInventory.logical(dir, name, blue, greenData, greenPort,
                    "cutover:\n  switchCommand: [/bin/true]\n");
            Path plan = dir.resolve(name + ".plan.json");
            try {
                planAndExecute(inventory, plan);
                assertThat(dataDump(greenPort)).as("green holds blue's rows and large objects").isEqualTo(data);
                assertThat(Files.readString(dir.resolve(name + ".verify.md"))).as("the comparisons execute made")
                        .doesNotContain("FAILED");
                CliRun verify = CliRun.of("verify", "--live", "-i", inventory.toString(), "-o", dir.toString());
                assertThat(verify.exitCode()).as(verify.err() + verify.out()).isZero();
                assertThat(Files.readString(dir.resolve(name + ".verify-live.md"))).contains("MAINTAIN");
            } finally {
                PgCluster.stopServerAt(greenData);
            }
        }
    }

    /** {@code plan} and {@code execute} by the CLI, each exiting 0. */
    private void planAndExecute(Path inventory, Path plan) {
        CliRun planRun = CliRun.of("plan", "-i", inventory.toString(), "-o", dir.toString());
        assertThat(planRun.exitCode()).as(planRun.err() + planRun.out()).isZero();
        CliRun run = CliRun.of("execute", "-i", inventory.toString(), plan.toString());
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    }

    /** A data-only dump of the fixture's database by PostgreSQL 18's pg_dump, version lines left out. */
    static String dataDump(int port) {
        return Dumps.of("pg_dump", port, "--data-only", "--large-objects", "--no-sync", VersionFixture.DATABASE);
    }
}
