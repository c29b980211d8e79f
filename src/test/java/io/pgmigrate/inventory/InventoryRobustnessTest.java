package io.pgmigrate.inventory;

import io.pgmigrate.core.PgMigrateException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Whatever the file holds, the loader returns an inventory or fails with a one-line BAD_INPUT message:
 * never another exception. Mutates the full fixture at random (fixed seed, so failures reproduce).
 */
class InventoryRobustnessTest {
    private static final String[] INSERTS = {":", " ", "\n", "\t", "-", "[", "]", "{", "}", "\"", "'", "#", "&a", "*a",
            "!!str", "~", "?", "|", ">", "---", "0", "password: x", "\u00e9", "\r", "%YAML 1.1\n", "\\", ","};

    @Test
    void randomMutationsNeverEscapeAsOtherExceptions() throws IOException {
        String base = Files.readString(InventoryAssertions.fixture("full.yaml"));
        Random random = new Random(20_251_115L);
        int failures = 0;
        for (int i = 0; i < 3000; i++) {
            String text = mutate(base, random, 1 + random.nextInt(3));
            try {
                InventoryAssertions.parse(text);
            } catch (PgMigrateException e) {
                failures++;
                assertThat(e.getMessage()).as("case %d:%n%s", i, text)
                        .startsWith("pgmigrate.yaml").doesNotContain("\n").doesNotContain("\r")
                        .doesNotContainPattern("\\b(java|com\\.fasterxml|org\\.yaml|io\\.pgmigrate)\\.")
                        .doesNotContainPattern("[A-Za-z]+(Exception|Error|Event)\\b");
                if (System.getenv("INVENTORY_FUZZ_PRINT") != null) {
                    System.out.println("MSG " + e.getMessage());
                }
            } catch (RuntimeException e) {
                fail("case " + i + " escaped as " + e + " for:\n" + text, e);
            }
        }
        assertThat(failures).as("most mutations are invalid").isGreaterThan(300);
    }

    @Test
    void deepNestingIsRefusedCleanly() {
        String deep = "name: a\nsource: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThat(InventoryAssertions.badInputYaml(deep)).startsWith("pgmigrate.yaml");
    }

    private static String mutate(String text, Random random, int times) {
        StringBuilder b = new StringBuilder(text);
        for (int n = 0; n < times; n++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.insert(at, INSERTS[random.nextInt(INSERTS.length)]);
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(8)));
                default -> b.setCharAt(at, INSERTS[random.nextInt(INSERTS.length)].charAt(0));
            }
        }
        return b.toString();
    }
}
