package io.pgmigrate.inventory;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.pgmigrate.inventory.InventoryAssertions.badInput;
import static io.pgmigrate.inventory.InventoryAssertions.fixture;
import static org.assertj.core.api.Assertions.assertThat;

/** One fixture per error class, each asserting the exact one-line message: file, line, key path, problem, fix. */
class InventoryErrorsTest {

    private static String f(String name) {
        return fixture(name).toString();
    }

    @Test
    void missingRequiredKey() {
        assertThat(badInput(fixture("missing-key.yaml"))).isEqualTo(f("missing-key.yaml")
                + ":2: source.dataDir: required key is missing; set it to the old cluster's data directory"
                + " (SHOW data_directory)");
    }

    @Test
    void wrongType() {
        assertThat(badInput(fixture("wrong-type.yaml"))).isEqualTo(f("wrong-type.yaml")
                + ":10: target.port: expected an integer, got 'abc'");
    }

    @Test
    void unknownKeyWithSuggestion() {
        assertThat(badInput(fixture("unknown-key.yaml"))).isEqualTo(f("unknown-key.yaml")
                + ":5: source.datadir: unknown key; did you mean 'dataDir'?");
    }

    @Test
    void relativePath() {
        assertThat(badInput(fixture("relative-path.yaml"))).isEqualTo(f("relative-path.yaml")
                + ":5: source.binDir: must be an absolute path, got 'bin/15'");
    }

    @Test
    void badEnumListsAllowedValues() {
        assertThat(badInput(fixture("bad-enum.yaml"))).isEqualTo(f("bad-enum.yaml")
                + ":11: options.mode: must be one of swap, link, clone, copy, got 'swp'; did you mean 'swap'?");
    }

    @Test
    void passwordKeyIsRejectedWithoutEchoingIt() {
        String message = badInput(fixture("password.yaml"));
        assertThat(message).isEqualTo(f("password.yaml") + ":6: source.pg.password: passwords never go in the"
                + " inventory; remove the key and use ~/.pgpass, PGPASSFILE or PGPASSWORD");
        assertThat(message).doesNotContain("s3cret");
    }

    @Test
    void duplicateKey() {
        assertThat(badInput(fixture("duplicate-key.yaml"))).isEqualTo(f("duplicate-key.yaml")
                + ":11: target.port: duplicate key; a key may appear only once in a mapping, keep one of them");
    }

    @Test
    void syntaxError() {
        assertThat(badInput(fixture("syntax-error.yaml"))).isEqualTo(f("syntax-error.yaml")
                + ":5: not valid YAML: mapping values are not allowed here; check the indentation (spaces, not tabs)"
                + " and quote values that contain ': ' or '#'");
    }

    @Test
    void emptyFile() {
        assertThat(badInput(fixture("empty.yaml"))).isEqualTo(f("empty.yaml")
                + ": the file is empty; describe the clusters as in examples/pgmigrate.yaml (see docs/inventory.md)");
    }

    @Test
    void missingFile() {
        Path missing = fixture("no-such.yaml");
        assertThat(badInput(missing)).isEqualTo(missing + ": no such file (looked for "
                + missing.toAbsolutePath().normalize() + "); check the path, or start from examples/pgmigrate.yaml");
    }

    @Test
    void directoryInsteadOfFile() {
        assertThat(badInput(InventoryAssertions.FIXTURES)).isEqualTo(InventoryAssertions.FIXTURES
                + ": is a directory; give the path of the inventory file, e.g. "
                + InventoryAssertions.FIXTURES.resolve("pgmigrate.yaml"));
    }

    @Test
    void swapNeedsEighteen() {
        assertThat(badInput(fixture("swap-17.yaml"))).isEqualTo(f("swap-17.yaml")
                + ":11: options.mode: swap needs target.version 18 or later (pg_upgrade --swap exists from"
                + " PostgreSQL 18), but target.version is 17; use link, clone or copy");
    }

    @Test
    void targetHostOnlyWithLogical() {
        assertThat(badInput(fixture("target-host-pg-upgrade.yaml"))).isEqualTo(f("target-host-pg-upgrade.yaml")
                + ":11: target.host: only allowed with strategy: logical (pg_upgrade runs on the source host);"
                + " remove it, or set strategy: logical");
    }

    @Test
    void nameWithSlash() {
        assertThat(badInput(fixture("name-slash.yaml"))).isEqualTo(f("name-slash.yaml")
                + ":1: name: must start with a letter or digit and contain only letters, digits, '.', '_' and '-'"
                + " (it is used in file names), got 'orders/prod'");
    }

    @Test
    void switchCommandOnlyWithLogicalAndAsAListOfStrings() {
        assertThat(InventoryAssertions.badInputYaml(InventoryAssertions.minimal("", "",
                "cutover:\n  switchCommand: [/bin/true]\n"))).contains("cutover.switchCommand: is for strategy:"
                + " logical only");
        assertThat(InventoryAssertions.badInputYaml(InventoryAssertions.minimal("", "",
                "strategy: logical\ncutover:\n  switchCommand: /bin/true\n"))).contains("cutover.switchCommand:"
                + " expected a non-empty list of strings");
    }
}
