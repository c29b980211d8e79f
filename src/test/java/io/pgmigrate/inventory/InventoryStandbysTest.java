package io.pgmigrate.inventory;

import io.pgmigrate.inventory.Inventory.PgEndpoint;
import io.pgmigrate.inventory.Inventory.Standby;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.pgmigrate.inventory.InventoryAssertions.badInputYaml;
import static io.pgmigrate.inventory.InventoryAssertions.minimal;
import static io.pgmigrate.inventory.InventoryAssertions.parse;
import static org.assertj.core.api.Assertions.assertThat;

class InventoryStandbysTest {

    private static String withStandbys(String list) {
        return minimal("  pg: { user: dba, database: shop, sslmode: require }\n", "", "standbys:\n" + list);
    }

    @Test
    void aStandbyTakesTheSourcesDefaultsWhereItSaysNothing() {
        Inventory inv = parse(withStandbys("""
                  - host: db1b.internal
                    ssh: { user: admin }
                    become: postgres
                    dataDir: /var/lib/postgresql/15/main
                    target: { dataDir: /var/lib/postgresql/18/main }
                """));

        Standby s = inv.standbys().get(0);
        assertThat(s.name()).isEqualTo("db1b.internal");
        assertThat(s.host().address()).isEqualTo("db1b.internal");
        assertThat(s.host().ssh().user()).isEqualTo("admin");
        assertThat(s.host().become()).isEqualTo("postgres");
        assertThat(s.pg()).isEqualTo(new PgEndpoint("db1b.internal", 5432, "dba", "shop", "require"));
        assertThat(s.tunnel()).isFalse();
        assertThat(s.binDir()).isEqualTo(Path.of("/usr/lib/postgresql/15/bin"));
        assertThat(s.targetDataDir()).isEqualTo(Path.of("/var/lib/postgresql/18/main"));
        assertThat(s.targetBinDir()).isEqualTo(Path.of("/usr/lib/postgresql/18/bin"));
        assertThat(s.rebuild()).isTrue();
        assertThat(inv.rebuiltStandbys()).containsExactly(s);
    }

    @Test
    void everyKeyOfAStandbyIsRead() {
        Inventory inv = parse(withStandbys("""
                  - name: replica-2
                    host: 10.0.0.7
                    tunnel: true
                    pg: { port: 5444 }
                    dataDir: /srv/pg/15
                    binDir: /opt/pg15/bin
                    target: { dataDir: /srv/pg/18, binDir: /opt/pg18/bin }
                    rebuild: false
                """));

        Standby s = inv.standbys().get(0);
        assertThat(s.name()).isEqualTo("replica-2");
        assertThat(s.pg().host()).as("through the tunnel, the standby's server is local to its host")
                .isEqualTo("127.0.0.1");
        assertThat(s.pg().port()).isEqualTo(5444);
        assertThat(s.tunnel()).isTrue();
        assertThat(s.binDir()).isEqualTo(Path.of("/opt/pg15/bin"));
        assertThat(s.targetBinDir()).isEqualTo(Path.of("/opt/pg18/bin"));
        assertThat(s.rebuild()).isFalse();
        assertThat(inv.rebuiltStandbys()).isEmpty();
    }

    @Test
    void noStandbysIsAnEmptyList() {
        assertThat(parse(minimal("", "", "")).standbys()).isEmpty();
    }

    @Test
    void twoStandbysOfOneNameAreRefused() {
        String msg = badInputYaml(withStandbys("""
                  - host: db1b
                    dataDir: /var/lib/postgresql/15/main
                    target: { dataDir: /var/lib/postgresql/18/main }
                  - host: db1b
                    dataDir: /var/lib/postgresql/15/other
                    target: { dataDir: /var/lib/postgresql/18/other }
                """));
        assertThat(msg).contains("standbys[1].host").contains("already used by standbys[0]").contains("name:");
    }

    @Test
    void theTargetDataDirectoryIsRequiredAndApartFromTheOldOne() {
        assertThat(badInputYaml(withStandbys("""
                  - host: db1b
                    dataDir: /var/lib/postgresql/15/main
                """))).contains("standbys[0].target").contains("required key is missing");
        assertThat(badInputYaml(withStandbys("""
                  - host: db1b
                    dataDir: /var/lib/postgresql/15/main
                    target: { dataDir: /var/lib/postgresql/15/main/new }
                """))).contains("standbys[0].target.dataDir").contains("apart from the standby's dataDir");
    }

    @Test
    void thePrimaryItselfIsNoStandby() {
        assertThat(badInputYaml(withStandbys("""
                  - host: local
                    dataDir: /var/lib/postgresql/15/main
                    target: { dataDir: /var/lib/postgresql/18/b }
                """))).contains("standbys[0].dataDir").contains("that is the primary");
    }

    @Test
    void aNameThatCannotGoIntoAStepIdIsRefused() {
        assertThat(badInputYaml(withStandbys("""
                  - host: db1b
                    name: "replica two"
                    dataDir: /var/lib/postgresql/15/main
                    target: { dataDir: /var/lib/postgresql/18/main }
                """))).contains("standbys[0].name").contains("step ids");
    }

    @Test
    void unknownKeysOfAStandbyAreNamed() {
        assertThat(badInputYaml(withStandbys("""
                  - host: db1b
                    datadir: /var/lib/postgresql/15/main
                    target: { dataDir: /var/lib/postgresql/18/main }
                """))).contains("standbys[0].datadir").contains("did you mean 'dataDir'");
    }

    @Test
    void standbysAreForInPlaceUpgrades() {
        String yaml = minimal("", "  port: 5433\n", "strategy: logical\nstandbys:\n"
                + "  - host: db1b\n    dataDir: /d/15\n    target: { dataDir: /d/18 }\n");
        assertThat(badInputYaml(yaml)).contains("standbys").contains("strategy: pg-upgrade");
    }
}
