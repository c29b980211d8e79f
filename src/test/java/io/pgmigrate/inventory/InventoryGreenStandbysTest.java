package io.pgmigrate.inventory;

import io.pgmigrate.inventory.Inventory.GreenStandby;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.pgmigrate.inventory.InventoryAssertions.badInputYaml;
import static io.pgmigrate.inventory.InventoryAssertions.minimal;
import static io.pgmigrate.inventory.InventoryAssertions.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code target.standbys}: green's own standbys (blue/green, issue #15). */
class InventoryGreenStandbysTest {
    private static String logical(String standbys) {
        return minimal("  pg: { user: dba, database: shop }\n", "  port: 5433\n  standbys:\n" + standbys,
                "strategy: logical\n");
    }

    @Test
    void aGreenStandbyTakesGreensBinariesPortAndTheSourcesUserWhereItSaysNothing() {
        Inventory inv = parse(logical("""
                    - host: db2b.internal
                      ssh: { user: admin }
                      become: postgres
                      dataDir: /var/lib/postgresql/18/main
                """));
        GreenStandby s = inv.target().standbys().get(0);
        assertThat(s.name()).isEqualTo("db2b.internal");
        assertThat(s.host().become()).isEqualTo("postgres");
        assertThat(s.pg().port()).as("green's port").isEqualTo(5433);
        assertThat(s.pg().user()).isEqualTo("dba");
        assertThat(s.binDir()).isEqualTo(Path.of("/usr/lib/postgresql/18/bin"));
        assertThat(s.replicationUser()).isEqualTo("dba");
        assertThat(inv.standbys()).as("the source's standbys are another list").isEmpty();
    }

    @Test
    void everyKeyIsRead() {
        GreenStandby s = parse(logical("""
                    - name: green-b
                      host: 10.0.0.8
                      tunnel: true
                      pg: { port: 5444 }
                      dataDir: /srv/pg/18
                      binDir: /opt/pg18/bin
                      replicationUser: replicator
                """)).target().standbys().get(0);
        assertThat(s.name()).isEqualTo("green-b");
        assertThat(s.pg().host()).isEqualTo("127.0.0.1");
        assertThat(s.pg().port()).isEqualTo(5444);
        assertThat(s.dataDir()).isEqualTo(Path.of("/srv/pg/18"));
        assertThat(s.binDir()).isEqualTo(Path.of("/opt/pg18/bin"));
        assertThat(s.replicationUser()).isEqualTo("replicator");
    }

    @Test
    void badEntriesAreOneLineNamingTheKey() {
        assertThat(badInputYaml(minimal("", "  standbys:\n    - host: db2b\n      dataDir: /d/18\n", "")))
                .contains("target.standbys").contains("strategy: logical");
        assertThat(badInputYaml(logical("    - host: db2b\n      dataDir: /d/18\n"
                + "    - host: db2b\n      dataDir: /e/18\n"))).contains("target.standbys[1]")
                .contains("already used by target.standbys[0]");
        assertThat(badInputYaml(logical("    - host: db2b\n")))
                .contains("target.standbys[0].dataDir");
        assertThat(badInputYaml(logical("    - host: db2b\n      dataDir: /d/18\n      target: { dataDir: /x }\n")))
                .contains("target.standbys[0].target");
    }

    @Test
    void theSourcesStandbysUnderLogicalPointToTargetStandbys() {
        String yaml = minimal("", "  port: 5433\n", "strategy: logical\nstandbys:\n"
                + "  - host: db1b\n    dataDir: /d/15\n    target: { dataDir: /d/18 }\n");
        assertThat(badInputYaml(yaml)).contains("target.standbys");
    }
}
