package io.pgmigrate.inventory;

import io.pgmigrate.inventory.Inventory.Patroni;
import io.pgmigrate.inventory.Inventory.PatroniService;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.pgmigrate.inventory.InventoryAssertions.badInputYaml;
import static io.pgmigrate.inventory.InventoryAssertions.minimal;
import static io.pgmigrate.inventory.InventoryAssertions.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code ha:} section (issue #15): the Patroni cluster of the source and its standbys. */
class InventoryHaTest {
    /** The ha: section starts on line 10 of the minimal inventory. */
    private static String withHa(String section) {
        return minimal("", "", "ha:\n" + section);
    }

    @Test
    void withoutHaThereIsNone() {
        assertThat(parse(minimal("", "", "")).ha()).isNull();
    }

    @Test
    void patroniWithItsDefaultService() {
        Patroni p = parse(withHa("""
                  patroni:
                    config: /etc/patroni/patroni.yml
                    rest: [ "db1:8008", "db1b.internal:8008", "10.0.0.7:8009", "[fd00::7]:8008" ]
                """)).ha().patroni();
        assertThat(p.config()).isEqualTo(Path.of("/etc/patroni/patroni.yml"));
        assertThat(p.rest()).containsExactly("db1:8008", "db1b.internal:8008", "10.0.0.7:8009", "[fd00::7]:8008");
        assertThat(p.service()).isEqualTo(PatroniService.systemd("patroni"));
        assertThat(p.service().key()).isEqualTo("systemd:patroni");
    }

    @Test
    void aUnitOrCommandsOfTheDbasOwn() {
        assertThat(parse(withHa("  patroni: { config: /etc/patroni.yml, rest: [ \"db1:8008\" ], service:"
                + " \"systemd:patroni@main\" }\n")).ha().patroni().service().unit()).isEqualTo("patroni@main");
        PatroniService s = parse(withHa("""
                  patroni:
                    config: /etc/patroni.yml
                    rest: [ "db1:8008" ]
                    commands:
                      stop: [ sudo, /usr/local/bin/patroni-ctl, stop ]
                      start: [ sudo, /usr/local/bin/patroni-ctl, start ]
                """)).ha().patroni().service();
        assertThat(s.unit()).isNull();
        assertThat(s.stop()).containsExactly("sudo", "/usr/local/bin/patroni-ctl", "stop");
        assertThat(s.start()).containsExactly("sudo", "/usr/local/bin/patroni-ctl", "start");
        assertThat(s.key()).isEqualTo("commands");
    }

    @Test
    void haIsKeptByTheInventorysCopies() {
        Inventory inv = parse(withHa("  patroni: { config: /etc/patroni.yml, rest: [ \"db1:8008\" ] }\n"));
        assertThat(inv.withStandbys(List.of()).ha()).isEqualTo(inv.ha());
        assertThat(inv.withoutFingerprints().ha()).isEqualTo(inv.ha());
    }

    @Test
    void badShapesAreRefusedNamingKeyAndLine() {
        assertThat(badInputYaml(withHa("  pacemaker: {}\n"))).isEqualTo("pgmigrate.yaml:11: ha.pacemaker: unknown"
                + " key; expected one of: patroni");
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/patroni.yml, rest: [ \"db1:8008\" ], scope: pgm }\n")))
                .isEqualTo("pgmigrate.yaml:11: ha.patroni.scope: unknown key; expected one of: config, rest, service,"
                        + " commands");
        assertThat(badInputYaml(withHa("  patroni: { rest: [ \"db1:8008\" ] }\n"))).startsWith("pgmigrate.yaml:11:"
                + " ha.patroni.config: required key is missing; set it to the path of patroni.yml");
        assertThat(badInputYaml(withHa("  patroni: { config: etc/patroni.yml, rest: [ \"db1:8008\" ] }\n")))
                .isEqualTo("pgmigrate.yaml:11: ha.patroni.config: must be an absolute path, got 'etc/patroni.yml'");
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/patroni.yml }\n"))).startsWith("pgmigrate.yaml:11:"
                + " ha.patroni.rest: required key is missing; list each member's REST API as host:port");
    }

    @Test
    void theRestListIsCheckedEntryByEntry() {
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/p.yml, rest: [] }\n"))).startsWith(
                "pgmigrate.yaml:11: ha.patroni.rest: expected a non-empty list of host:port;");
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/p.yml, rest: \"db1:8008\" }\n"))).startsWith(
                "pgmigrate.yaml:11: ha.patroni.rest: expected a non-empty list of host:port;");
        assertThat(badInputYaml(withHa("""
                  patroni:
                    config: /etc/p.yml
                    rest:
                      - db1:8008
                      - db1b
                """))).isEqualTo("pgmigrate.yaml:15: ha.patroni.rest[1]: expected host:port of a member's REST API,"
                + " e.g. db1:8008, got 'db1b'");
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/p.yml, rest: [ \"http://db1:8008\" ] }\n")))
                .endsWith("got 'http://db1:8008'; leave out http://");
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/p.yml, rest: [ \"db1:80080\" ] }\n")))
                .isEqualTo("pgmigrate.yaml:11: ha.patroni.rest[0]: the port must be between 1 and 65535, got 80080");
        assertThat(badInputYaml(withHa("""
                  patroni:
                    config: /etc/p.yml
                    rest:
                      - db1:8008
                      - DB1:8008
                """))).isEqualTo("pgmigrate.yaml:15: ha.patroni.rest[1]: 'DB1:8008' is already listed as"
                + " ha.patroni.rest[0]; list each member's REST API once");
    }

    @Test
    void serviceAndCommands() {
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/p.yml, rest: [ \"db1:8008\" ], service: patroni }\n")))
                .isEqualTo("pgmigrate.yaml:11: ha.patroni.service: must be systemd:<unit>, e.g. systemd:patroni, got"
                        + " 'patroni'; for another way give commands: { stop: [...], start: [...] } instead");
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/p.yml, rest: [ \"db1:8008\" ], service:"
                + " \"systemd:p\", commands: { stop: [ a ], start: [ b ] } }\n")))
                .isEqualTo("pgmigrate.yaml:11: ha.patroni.commands: give either service: or commands:, not both");
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/p.yml, rest: [ \"db1:8008\" ], commands:"
                + " { stop: [ a ] } }\n"))).startsWith("pgmigrate.yaml:11: ha.patroni.commands.start: required key"
                + " is missing; the program and its arguments");
    }

    @Test
    void notYetWithBlueGreen() {
        assertThat(badInputYaml(withHa("  patroni: { config: /etc/p.yml, rest: [ \"db1:8008\" ] }\n")
                + "strategy: logical\n")).isEqualTo("pgmigrate.yaml:10: ha: is not supported with strategy: logical"
                + " yet (green's own Patroni cluster is not built by pgmigrate); use strategy: pg-upgrade, or remove"
                + " the key");
    }
}
