package io.pgmigrate.inspect;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.facts.TargetFacts;
import io.pgmigrate.inventory.Inventory;
import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.plan.Strategy;
import io.pgmigrate.testing.Facts;
import io.pgmigrate.testing.Inventories;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pairs plan refuses as bad input, each in one line naming the inventory key and the versions. */
class SupportedPairTest {
    private static final String FILE = "/etc/pgmigrate/pgmigrate.yaml: ";

    @Test
    void sourcesFrom13OnAreUpgraded() {
        for (String v : new String[]{"13.23", "14.1", "15.14", "16.10", "17.6"}) {
            assertThatCode(() -> SupportedPair.requireSource(Inventories.sample(), PgVersion.parse(v)))
                    .as(v).doesNotThrowAnyException();
            assertThatCode(() -> SupportedPair.requireTarget(Inventories.sample(), PgVersion.parse(v), target("18.6")))
                    .as(v).doesNotThrowAnyException();
        }
    }

    @Test
    void aSourceOlderThan13IsRefusedNamingSourcePgAndItsVersion() {
        for (String v : new String[]{"12.22", "9.6.24"}) {
            assertThatThrownBy(() -> SupportedPair.requireSource(Inventories.sample(), PgVersion.parse(v)))
                    .isInstanceOfSatisfying(PgMigrateException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
                        assertThat(e.getMessage()).isEqualTo(FILE + "source.pg: the server at 127.0.0.1:5432 runs"
                                + " PostgreSQL " + v + ", older than 13, the oldest source pgmigrate upgrades from;"
                                + " upgrade it to 13 or later first (with that version's pg_upgrade), or move it with"
                                + " pg_dump and pg_restore");
                    });
        }
        // blue/green too: the logical strategy is tested from 13 on as well
        assertThatThrownBy(() -> SupportedPair.requireSource(Inventories.logical(), PgVersion.parse("12.22")))
                .hasMessageContaining("source.pg: ").hasMessageContaining("PostgreSQL 12.22, older than 13");
    }

    @Test
    void aTargetThatIsNotNewerIsRefusedNamingTargetVersionAndBothVersions() {
        Inventory same = withTarget(15);
        assertThatThrownBy(() -> SupportedPair.requireTarget(same, PgVersion.parse("15.14"), target("15.14")))
                .isInstanceOfSatisfying(PgMigrateException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
                    assertThat(e.getMessage()).isEqualTo(FILE + "target.version: 15 is the source's major version"
                            + " (the server at 127.0.0.1:5432 runs PostgreSQL 15.14); pgmigrate only upgrades to a"
                            + " newer major version: set target.version to one newer than 15 and target.binDir to"
                            + " its binaries");
                });
        Inventory older = withTarget(14);
        assertThatThrownBy(() -> SupportedPair.requireTarget(older, PgVersion.parse("15.14"), target("14.19")))
                .hasMessageStartingWith(FILE + "target.version: 14 is older than the source (the server at"
                        + " 127.0.0.1:5432 runs PostgreSQL 15.14)");
    }

    @Test
    void targetBinariesOfAnotherVersionThanTargetVersionAreRefusedNamingTargetBinDir() {
        assertThatThrownBy(() -> SupportedPair.requireTarget(Inventories.sample(), PgVersion.parse("13.23"),
                target("15.14"))).isInstanceOfSatisfying(PgMigrateException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
                    assertThat(e.getMessage()).isEqualTo(FILE + "target.binDir: /usr/lib/postgresql/18/bin holds"
                            + " PostgreSQL 15 binaries (postgres --version says 15.14), but target.version is 18;"
                            + " point target.binDir at the PostgreSQL 18 bin directory or correct target.version");
                });
        // postgres of the right version, but pg_upgrade (or initdb) of another: named by the program that is wrong
        Facts f = Facts.healthy();
        f.pgUpgradeVersion = PgVersion.parse("17.6");
        assertThatThrownBy(() -> SupportedPair.requireTarget(Inventories.sample(), PgVersion.parse("15.14"),
                f.build().target())).hasMessageContaining("target.binDir: /usr/lib/postgresql/18/bin holds PostgreSQL 17"
                + " binaries (pg_upgrade --version says 17.6), but target.version is 18");
        Facts g = Facts.healthy();
        g.initdbVersion = PgVersion.parse("16.2");
        assertThatThrownBy(() -> SupportedPair.requireTarget(Inventories.sample(), PgVersion.parse("15.14"),
                g.build().target())).hasMessageContaining("(initdb --version says 16.2)");
    }

    @Test
    void theBinariesAreNamedBeforeThePair() {
        // target.version 18 pointing at 15's binaries, source 15: the binDir is what is wrong
        assertThatThrownBy(() -> SupportedPair.requireTarget(Inventories.sample(), PgVersion.parse("15.14"),
                target("15.14"))).hasMessageContaining("target.binDir: ");
    }

    private static TargetFacts target(String version) {
        Facts f = Facts.healthy();
        f.targetVersion = PgVersion.parse(version);
        f.pgUpgradeVersion = f.targetVersion;
        f.initdbVersion = f.targetVersion;
        return f.build().target();
    }

    private static Inventory withTarget(int version) {
        Inventory inv = Inventories.sample();
        Inventory.TargetCluster t = inv.target();
        return new Inventory(inv.name(), Strategy.PG_UPGRADE, inv.source(),
                new Inventory.TargetCluster(version, t.binDir(), t.dataDir(), t.port(), t.host()), inv.options(),
                inv.cutover(), inv.smokeQueries(), inv.file());
    }
}
