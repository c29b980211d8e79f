package io.pgmigrate.verify;

import io.pgmigrate.testing.OsUser;
import io.pgmigrate.testing.PgCluster;
import io.pgmigrate.testing.Toolchain;
import io.pgmigrate.testing.VersionFixture;
import io.pgmigrate.transport.SqlSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Issue #13: the version fixture upgraded by a real pg_upgrade from each source the toolchain has to 18. The
 * schema comparison finds no unexplained difference — each explained one named once — and each kind of real
 * damage done after the upgrade (a dropped constraint, a changed view, a revoked privilege, a changed default, a
 * dropped index) is named, not explained away.
 */
class VersionPairSchemaIT {

    @ParameterizedTest(name = "{0} → 18")
    @ValueSource(ints = {13, 15, 17})
    void theFixtureUpgradesWithOnlyExplainedDifferencesAndDamageIsNamed(int source) throws Exception {
        Assumptions.assumeTrue(Toolchain.has(source), "PostgreSQL " + source + " is not in the toolchain here");
        Path work = Files.createTempDirectory(Path.of("/tmp"), "pgm-pair-");
        OsUser.chownToOwner(work);
        try (PgCluster old = PgCluster.start(source)) {
            VersionFixture.create(old);
            SchemaInventory before = capture(old);
            old.stopServer();
            try (PgCluster upgraded = PgCluster.create(18, PgCluster.Init.defaults())) {
                pgUpgrade(old, upgraded, work);
                upgraded.startServer();
                SchemaComparison clean = SchemaDiff.compare(before, capture(upgraded));
                clean.differences().forEach(d -> System.out.println(source + " → 18: " + d.describe()));
                assertThat(clean.unexpected()).extracting(SchemaDifference::describe).isEmpty();
                assertThat(clean.objectsAfter()).isEqualTo(clean.objectsBefore()).isGreaterThan(80);
                assertThat(clean.expected()).allSatisfy(d ->
                        assertThat(d.describe()).containsOnlyOnce("expected"));

                upgraded.sql(VersionFixture.DATABASE,
                        "ALTER TABLE public.kids DROP CONSTRAINT kids_amount_positive",
                        "CREATE OR REPLACE VIEW public.recent_orders AS SELECT id, region, placed FROM orders"
                                + " WHERE placed > CURRENT_DATE - 30",
                        "REVOKE INSERT ON public.orders FROM clerk",
                        "ALTER TABLE public.orders ALTER placed SET DEFAULT '2025-01-01'",
                        "DROP INDEX public.regions_name_idx");
                SchemaComparison damaged = SchemaDiff.compare(before, capture(upgraded));
                damaged.unexpected().forEach(d -> System.out.println(source + " → 18 damaged: " + d.describe()));
                assertThat(damaged.passed()).isFalse();
                assertThat(damaged.unexpected())
                        .extracting(SchemaDifference::kind, SchemaDifference::name, SchemaDifference::change)
                        .contains(
                                tuple(SchemaKind.CONSTRAINT, "kids_amount_positive on public.kids",
                                        SchemaDifference.Change.MISSING),
                                tuple(SchemaKind.VIEW, "public.recent_orders", SchemaDifference.Change.CHANGED),
                                tuple(SchemaKind.TABLE, "public.orders", SchemaDifference.Change.CHANGED),
                                tuple(SchemaKind.COLUMN, "public.orders.placed", SchemaDifference.Change.CHANGED),
                                tuple(SchemaKind.INDEX, "public.regions_name_idx", SchemaDifference.Change.MISSING));
            }
        } finally {
            PgCluster.deleteTree(work);
        }
    }

    private static SchemaInventory capture(PgCluster pg) {
        try (SqlSession s = pg.connect(VersionFixture.DATABASE)) {
            return SchemaInventory.capture(s);
        }
    }

    private static void pgUpgrade(PgCluster old, PgCluster upgraded, Path work) {
        Path bin = Toolchain.binDir(18);
        String command = "cd '" + work + "' && exec " + String.join(" ", List.of(bin.resolve("pg_upgrade").toString(),
                "-b", old.binDir().toString(), "-B", bin.toString(),
                "-d", old.dataDir().toString(), "-D", upgraded.dataDir().toString(),
                "-p", String.valueOf(old.port()), "-P", String.valueOf(upgraded.port()),
                "-U", PgCluster.SUPERUSER, "--socketdir", work.toString(), "--no-sync", "--link"));
        OsUser.Result run = OsUser.runAsOwner(List.of("sh", "-c", command), false);
        System.out.println(run.output());
    }
}
