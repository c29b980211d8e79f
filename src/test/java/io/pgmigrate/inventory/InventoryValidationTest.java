package io.pgmigrate.inventory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.pgmigrate.inventory.InventoryAssertions.badInput;
import static io.pgmigrate.inventory.InventoryAssertions.badInputYaml;
import static io.pgmigrate.inventory.InventoryAssertions.minimal;
import static org.assertj.core.api.Assertions.assertThat;

/** The rest of the rules, on inline YAML named {@code pgmigrate.yaml}: the minimal inventory plus one fault. */
class InventoryValidationTest {
    private static final String MIN = minimal("", "", "");

    private static String withSource(String lines) {
        return minimal(lines, "", "");
    }

    private static String withTarget(String lines) {
        return minimal("", lines, "");
    }

    private static String withTail(String lines) {
        return minimal("", "", lines);
    }

    @Test
    void topLevelMustBeAMapping() {
        assertThat(badInputYaml("- name: a\n- name: b\n")).isEqualTo("pgmigrate.yaml:1: the top level must be a"
                + " mapping of keys (name, strategy, source, target, options, cutover, smokeQueries, standbys, ha), got a list");
        assertThat(badInputYaml("just a string\n")).startsWith("pgmigrate.yaml:1: the top level must be a mapping")
                .endsWith("got a string");
        assertThat(badInputYaml("~\n")).isEqualTo("pgmigrate.yaml: the file is empty; describe the clusters as in"
                + " examples/pgmigrate.yaml (see docs/inventory.md)");
    }

    @Test
    void listWhereAMappingIsExpected() {
        assertThat(badInputYaml("name: a\nsource:\n  - host: local\n"))
                .isEqualTo("pgmigrate.yaml:2: source: expected a mapping (indented 'key: value' lines), got a list");
        assertThat(badInputYaml(withSource("  pg: 127.0.0.1\n")))
                .isEqualTo("pgmigrate.yaml:6: source.pg: expected a mapping (indented 'key: value' lines), got a string '127.0.0.1'");
    }

    @Test
    void missingSectionsAndRootKeys() {
        assertThat(badInputYaml("name: a\n")).isEqualTo("pgmigrate.yaml: source: required key is missing; add a"
                + " source: mapping that describes the old cluster (host, dataDir, binDir; see docs/inventory.md)");
        assertThat(badInputYaml(MIN.replace("name: orders-prod\n", ""))).startsWith("pgmigrate.yaml: name: required key is missing; set it to a short name");
        assertThat(badInputYaml(MIN.replace("name: orders-prod", "name:"))).startsWith("pgmigrate.yaml:1: name: required key has no value;");
    }

    @Test
    void unknownKeyWithoutCloseMatchListsTheKnownOnes() {
        assertThat(badInputYaml(withTail("frobnicate: 1\n"))).isEqualTo("pgmigrate.yaml:10: frobnicate: unknown key;"
                + " expected one of: name, strategy, source, target, options, cutover, smokeQueries, standbys, ha");
        assertThat(badInputYaml(withSource("  ssh: { IdentityFile: ~/.ssh/k }\n")))
                .isEqualTo("pgmigrate.yaml:6: source.ssh.IdentityFile: unknown key; did you mean 'identity'?");
        assertThat(badInputYaml(withSource("  pg: { sslMode: require }\n")))
                .isEqualTo("pgmigrate.yaml:6: source.pg.sslMode: unknown key; did you mean 'sslmode'?");
    }

    @Test
    void enums() {
        assertThat(badInputYaml(withTail("strategy: pg_upgrade\n"))).isEqualTo("pgmigrate.yaml:10: strategy: must be"
                + " one of pg-upgrade, logical, got 'pg_upgrade'; did you mean 'pg-upgrade'?");
        assertThat(badInputYaml(withSource("  pg: { sslmode: strict }\n"))).isEqualTo("pgmigrate.yaml:6: source.pg.sslmode:"
                + " must be one of disable, allow, prefer, require, verify-ca, verify-full, got 'strict'");
        assertThat(badInputYaml(withTail("options: { verify: { rowCounts: approximate } }\n")))
                .isEqualTo("pgmigrate.yaml:10: options.verify.rowCounts: must be one of exact, fast, off, got 'approximate'");
        assertThat(badInputYaml(withSource("  service: systemctl\n"))).isEqualTo("pgmigrate.yaml:6: source.service:"
                + " must be one of pg_ctl, pg_ctlcluster, systemd:<unit>, got 'systemctl'");
        assertThat(badInputYaml(withSource("  service: pg-ctlcluster\n"))).endsWith(
                "got 'pg-ctlcluster'; did you mean 'pg_ctlcluster'?");
        assertThat(badInputYaml(withSource("  service: 'systemd:'\n"))).isEqualTo("pgmigrate.yaml:6: source.service:"
                + " systemd needs the unit after a colon, e.g. systemd:postgresql@15-main, got 'systemd:'");
    }

    @Test
    void theNewClustersServiceMatchesTheOldOnesSoThatTheFenceCanHandOverTheStartAtBoot() {
        assertThat(badInputYaml(withSource("  service: systemd:postgresql@15-main\n"))).isEqualTo(
                "pgmigrate.yaml:7: target.service: required when source.service is a systemd unit: name the new"
                        + " cluster's unit, e.g. systemd:postgresql-18 (pgmigrate enables it and disables"
                        + " postgresql@15-main once the new cluster serves)");
        assertThat(badInputYaml(minimal("  service: systemd:postgresql@15-main\n", "  service: pg_ctl\n", "")))
                .endsWith("target.service: must be of the same kind as source.service (systemd:postgresql@15-main),"
                        + " got pg_ctl");
        assertThat(badInputYaml(minimal("  service: systemd:postgresql@15-main\n",
                "  service: systemd:postgresql@15-main\n", ""))).endsWith("target.service: names the old cluster's"
                + " unit (postgresql@15-main); name the new cluster's unit, which pgmigrate enables while it disables"
                + " the old one");
        assertThat(badInputYaml(withSource("  service: pg_ctlcluster\n"))).endsWith("source.configFile: required with"
                + " service: pg_ctlcluster; set it to the old cluster's postgresql.conf, e.g."
                + " /etc/postgresql/15/main/postgresql.conf (SHOW config_file)");
    }

    @Test
    void numbersAndRanges() {
        assertThat(badInputYaml(withTarget("  port: 70000\n")))
                .isEqualTo("pgmigrate.yaml:10: target.port: must be between 1 and 65535, got 70000");
        assertThat(badInputYaml(withSource("  pg: { port: 0 }\n")))
                .isEqualTo("pgmigrate.yaml:6: source.pg.port: must be between 1 and 65535, got 0");
        assertThat(badInputYaml(withTail("options: { jobs: 0 }\n")))
                .isEqualTo("pgmigrate.yaml:10: options.jobs: must be at least 1, got 0");
        assertThat(badInputYaml(MIN.replace("version: 18", "version: 9")))
                .isEqualTo("pgmigrate.yaml:7: target.version: must be at least 10, got 9");
        assertThat(badInputYaml(MIN.replace("version: 18", "version: 18.0"))).isEqualTo("pgmigrate.yaml:7:"
                + " target.version: expected an integer, got '18.0'; set it to the new major version, e.g. 18");
        assertThat(badInputYaml(withTarget("  port: 99999999999999999999\n")))
                .isEqualTo("pgmigrate.yaml:10: target.port: must be between 1 and 65535, got 99999999999999999999");
        assertThat(badInputYaml(withTarget("  port: { a: 1 }\n")))
                .isEqualTo("pgmigrate.yaml:10: target.port: expected a single value, got a mapping");
        assertThat(badInputYaml(withSource("  tunnel: maybe\n")))
                .isEqualTo("pgmigrate.yaml:6: source.tunnel: expected true or false, got 'maybe'");
    }

    @Test
    void pathsAndHome() {
        assertThat(badInputYaml(MIN.replace("host: local", "host: db1.internal")
                .replace("dataDir: /var/lib/postgresql/15/main", "dataDir: ~/15/main")))
                .isEqualTo("pgmigrate.yaml:4: source.dataDir: '~' would be this machine's home directory, not the one"
                        + " on db1.internal; give the absolute path, got '~/15/main'");
        assertThat(badInputYaml(withSource("  configFile: ~postgres/15/postgresql.conf\n")))
                .isEqualTo("pgmigrate.yaml:6: source.configFile: must be an absolute path, got '~postgres/15/postgresql.conf'");
        assertThat(badInputYaml(withSource("  ssh: { identity: id_ed25519 }\n")))
                .isEqualTo("pgmigrate.yaml:6: source.ssh.identity: must be an absolute path, got 'id_ed25519'");
    }

    @Test
    void dataDirectoriesMustNotOverlapOnOneHost() {
        assertThat(badInputYaml(MIN.replace("/var/lib/postgresql/18/main", "/var/lib/postgresql/15/main/")))
                .isEqualTo("pgmigrate.yaml:9: target.dataDir: must differ from source.dataDir"
                        + " (/var/lib/postgresql/15/main); the new cluster needs a directory of its own");
        assertThat(badInputYaml(MIN.replace("/var/lib/postgresql/18/main", "/var/lib/postgresql/15/main/18")))
                .isEqualTo("pgmigrate.yaml:9: target.dataDir: must not lie inside source.dataDir"
                        + " (/var/lib/postgresql/15/main); put it beside it, e.g. /var/lib/postgresql/15/18");
        assertThat(badInputYaml(MIN.replace("/var/lib/postgresql/18/main", "/var/lib/postgresql/15/../15/main")))
                .startsWith("pgmigrate.yaml:9: target.dataDir: must differ from source.dataDir");
        assertThat(badInputYaml(MIN.replace("/var/lib/postgresql/18/main", "/var/lib/postgresql")))
                .isEqualTo("pgmigrate.yaml:9: target.dataDir: must not contain source.dataDir"
                        + " (/var/lib/postgresql/15/main); initdb needs an empty directory");
        assertThat(badInputYaml(MIN.replace("/var/lib/postgresql/18/main", "/")))
                .as("no parent for the work directory: never a fallback to a shared temporary directory")
                .isEqualTo("pgmigrate.yaml:9: target.dataDir: must not be / (the work directory pgmigrate-NAME goes"
                        + " beside it, in its parent); give a directory such as /var/lib/postgresql/18/main");
        assertThat(InventoryAssertions.parse(MIN.replace("/var/lib/postgresql/18/main", "/var/lib/postgresql/15/mainx"))
                .target().dataDir()).as("a sibling whose name merely starts the same is fine")
                .isEqualTo(Path.of("/var/lib/postgresql/15/mainx"));
    }

    @Test
    void hosts() {
        assertThat(badInputYaml(MIN.replace("host: local", "host: admin@db1")))
                .isEqualTo("pgmigrate.yaml:3: source.host: must be a host name without a user, got 'admin@db1';"
                        + " put the user in source.ssh.user");
        assertThat(badInputYaml(withTarget("  ssh: { user: admin }\n")))
                .isEqualTo("pgmigrate.yaml:10: target.ssh: only meaningful together with target.host (green on another"
                        + " host than the source, strategy logical); remove it");
        assertThat(badInputYaml(minimal("", "  host: [a, b]\n", "strategy: logical\n")))
                .isEqualTo("pgmigrate.yaml:10: target.host: expected a host name or a mapping with address, ssh and"
                        + " become, got a list");
        assertThat(badInputYaml(minimal("", "  host: { address: db2, ssh: { port: 22 } }\n  become: pg\n",
                "strategy: logical\n"))).isEqualTo("pgmigrate.yaml:11: target.become: target.host is a mapping, so"
                + " become goes inside it; move it there");
        assertThat(badInputYaml(minimal("", "  host: { ssh: { port: 22 } }\n", "strategy: logical\n")))
                .isEqualTo("pgmigrate.yaml:10: target.host.address: required key is missing; set it to green's host"
                        + " name for SSH, or 'local' to run commands on this machine");
    }

    @Test
    void logicalOnOneHostNeedsTwoPorts() {
        assertThat(badInputYaml(minimal("", "  port: 5432\n", "strategy: logical\n")))
                .isEqualTo("pgmigrate.yaml:10: target.port: green would listen on 5432, the port the old cluster uses"
                        + " (source.pg.port); choose another port, e.g. 5433");
    }

    @Test
    void cutoverAndSmokeQueries() {
        assertThat(badInputYaml(withTail("cutover:\n  pgbouncer: { port: 6432 }\n")))
                .isEqualTo("pgmigrate.yaml:11: cutover.pgbouncer.host: required key is missing; set it to the host"
                        + " pgbouncer listens on, e.g. 127.0.0.1");
        assertThat(badInputYaml(withTail("smokeQueries:\n  - name: a\n    database: shop\n")))
                .isEqualTo("pgmigrate.yaml:11: smokeQueries[0].sql: required key is missing; set it to one read-only"
                        + " SQL statement");
        assertThat(badInputYaml(withTail("smokeQueries:\n  - select 1\n")))
                .isEqualTo("pgmigrate.yaml:11: smokeQueries[0]: expected a mapping (indented 'key: value' lines),"
                        + " got a string 'select 1'");
        assertThat(badInputYaml(withTail("smokeQueries: { name: a }\n")))
                .isEqualTo("pgmigrate.yaml:10: smokeQueries: expected a list ('- ' items), got a mapping");
        assertThat(badInputYaml(withTail("smokeQueries:\n  - { name: a, database: d, sql: select 1 }\n"
                + "  - { name: a, database: d, sql: select 2 }\n")))
                .isEqualTo("pgmigrate.yaml:12: smokeQueries[1].name: 'a' is already used by smokeQueries[0];"
                        + " names must be unique, the report lists queries by name");
    }

    @Test
    void secretsAnywhereAreRejected() {
        assertThat(badInputYaml(withTail("smokeQueries:\n  - { name: a, database: d, sql: x, PGPASSWORD: hunter2 }\n")))
                .isEqualTo("pgmigrate.yaml:11: smokeQueries[0].PGPASSWORD: passwords never go in the inventory;"
                        + " remove the key and use ~/.pgpass, PGPASSFILE or PGPASSWORD");
        assertThat(badInputYaml(withTail("cutover:\n  pgbouncer: { host: h, adminPassword: x }\n")))
                .startsWith("pgmigrate.yaml:11: cutover.pgbouncer.adminPassword: passwords never go in the inventory");
    }

    @Test
    void unsupportedYaml() {
        assertThat(badInputYaml("name: &n orders\nsource: *n\n"))
                .isEqualTo("pgmigrate.yaml:2: source: YAML aliases (*n) are not supported; write the value out in full");
        assertThat(badInputYaml(MIN + "---\nname: other\n")).isEqualTo("pgmigrate.yaml:11: a second YAML document"
                + " ('---') follows the first; keep exactly one inventory per file");
        assertThat(badInputYaml("name: a\n\tsource: b\n")).isEqualTo("pgmigrate.yaml:2: not valid YAML: found"
                + " a tab character that cannot start any token; check the indentation (spaces, not tabs) and quote"
                + " values that contain ': ' or '#'");
        assertThat(badInputYaml("name: a\nsource: %x\n")).isEqualTo("pgmigrate.yaml:2: not valid YAML: found"
                + " character '%' that cannot start any token; check the indentation (spaces, not tabs) and quote"
                + " values that contain ': ' or '#'");
        assertThat(badInputYaml("name: \"unterminated\nsource: x\n")).isEqualTo("pgmigrate.yaml:3: not valid YAML:"
                + " found unexpected end of stream (while scanning a quoted scalar at line 1); check the indentation"
                + " (spaces, not tabs) and quote values that contain ': ' or '#'");
        assertThat(badInputYaml("name: a\n? [1, 2]\n: 3\n")).isEqualTo("pgmigrate.yaml:2: unsupported YAML: mapping"
                + " keys must be plain words, not lists or mappings");
        assertThat(badInputYaml("name: !!binary aGVsbG8=\n")).isEqualTo("pgmigrate.yaml:1: name: tagged YAML values"
                + " (such as !!binary) are not supported; write a plain value");
    }

    @Test
    void quotedValuesStayOnOneLine() {
        assertThat(badInputYaml(MIN.replace("name: orders-prod", "name: \"orders\\nprod\"")))
                .endsWith("got 'orders\\nprod'");
        assertThat(badInputYaml(withTarget("  port: |\n    12\n    34\n"))).isEqualTo(
                "pgmigrate.yaml:10: target.port: expected an integer, got '12\\n34'");
    }

    @Test
    void fileLevelProblems(@TempDir Path dir) throws IOException {
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9, '\n'});
        assertThat(badInput(latin1)).isEqualTo(latin1 + ": is not UTF-8 text; save it as UTF-8");

        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "# x\n".repeat(300_000));
        assertThat(badInput(big)).isEqualTo(big + ": is larger than 1 MiB, too large for an inventory; check that"
                + " this is the right file");

        Path blank = dir.resolve("blank.yaml");
        Files.writeString(blank, "");
        assertThat(badInput(blank)).startsWith(blank + ": the file is empty;");
    }
}
