package io.pgmigrate.inventory;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Shared fixtures and the one-line message checks every error test makes. */
final class InventoryAssertions {
    static final Path HOME = Path.of("/home/dba");
    static final String OS_USER = "dba";
    static final Path FIXTURES = Path.of("src/test/resources/inventory");

    private InventoryAssertions() {
    }

    static Path fixture(String name) {
        return FIXTURES.resolve(name);
    }

    static Inventory load(Path file) {
        return InventoryLoader.load(file, HOME, OS_USER);
    }

    static Inventory parse(String yaml) {
        return InventoryLoader.parse(yaml, Path.of("pgmigrate.yaml"), HOME, OS_USER);
    }

    /** The message of the BAD_INPUT failure, after checking it is one line without Java class names. */
    static String badInput(ThrowingCallable call) {
        PgMigrateException e = catchThrowableOfType(PgMigrateException.class, call);
        assertThat(e).as("expected a bad-input failure").isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        String m = e.getMessage();
        assertThat(m).doesNotContain("\n").doesNotContain("\r")
                .doesNotContainPattern("\\b(java|javax|com\\.fasterxml|org\\.yaml|io\\.pgmigrate)\\.")
                .doesNotContainPattern("[A-Za-z]+(Exception|Error|Event)\\b");
        return m;
    }

    static String badInput(Path file) {
        return badInput(() -> load(file));
    }

    static String badInputYaml(String yaml) {
        return badInput(() -> parse(yaml));
    }

    /** Minimal valid inventory text, with {@code extra} lines appended (use to add or override sections). */
    static String minimal(String sourceExtra, String targetExtra, String tail) {
        return "name: orders-prod\n"
                + "source:\n"
                + "  host: local\n"
                + "  dataDir: /var/lib/postgresql/15/main\n"
                + "  binDir: /usr/lib/postgresql/15/bin\n"
                + sourceExtra
                + "target:\n"
                + "  version: 18\n"
                + "  binDir: /usr/lib/postgresql/18/bin\n"
                + "  dataDir: /var/lib/postgresql/18/main\n"
                + targetExtra
                + tail;
    }
}
