package io.pgmigrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/kill-matrix.md true to what the kill tests observe: each test renders its table of kill points and
 * outcomes, writes target/kill-matrix.md (the document with the tables observed so far put in), and fails when the
 * document's table differs, so that a change of behaviour is seen and the document updated with it.
 */
public final class KillMatrixDoc {
    private static final Path PROJECT = Path.of(System.getenv().getOrDefault("PGMIGRATE_PROJECT_DIR", "."));
    public static final Path DOC = PROJECT.resolve("docs/kill-matrix.md");
    public static final Path OBSERVED = PROJECT.resolve("target/kill-matrix.md");

    private KillMatrixDoc() {
    }

    /** The section's table as observed, checked against the document's. */
    public static void check(String section, String table) {
        String documented = observe(section, table);
        assertThat(documented).as("the table '" + section + "' of " + DOC + " differs from what the test"
                + " observed; if the change is intended, review and copy it: cp " + OBSERVED + " " + DOC)
                .isEqualTo(table);
    }

    /** Writes the observed table into target/kill-matrix.md; returns the document's (null: none). */
    public static String observe(String section, String table) {
        String doc = read(DOC);
        String observed = put(doc, section, table);
        // tables other tests observed earlier in this build stay in the observed copy
        String earlier = read(OBSERVED);
        Matcher m = any().matcher(earlier);
        while (m.find()) {
            if (!m.group(1).equals(section)) {
                observed = put(observed, m.group(1), m.group(2));
            }
        }
        try {
            Files.createDirectories(OBSERVED.getParent());
            Files.writeString(OBSERVED, observed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return find(doc, section);
    }

    private static Pattern any() {
        return Pattern.compile("<!-- kill-matrix:([a-z0-9-]+) -->\n(.*?)<!-- /kill-matrix -->", Pattern.DOTALL);
    }

    private static String find(String doc, String section) {
        Matcher m = any().matcher(doc);
        while (m.find()) {
            if (m.group(1).equals(section)) {
                return m.group(2);
            }
        }
        return null;
    }

    private static String put(String doc, String section, String table) {
        String block = "<!-- kill-matrix:" + section + " -->\n" + table + "<!-- /kill-matrix -->";
        Matcher m = any().matcher(doc);
        while (m.find()) {
            if (m.group(1).equals(section)) {
                return doc.substring(0, m.start()) + block + doc.substring(m.end());
            }
        }
        return doc + (doc.isEmpty() || doc.endsWith("\n\n") ? "" : doc.endsWith("\n") ? "\n" : "\n\n") + block + "\n";
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
