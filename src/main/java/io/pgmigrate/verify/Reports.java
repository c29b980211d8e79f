package io.pgmigrate.verify;

import io.pgmigrate.plan.PlanJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Baselines and reports on disk: JSON (for machines, and to compare later) and the report's Markdown. */
public final class Reports {
    private Reports() {
    }

    public static void writeBaseline(Path file, ClusterSnapshot snapshot) {
        write(file, PlanJson.write(snapshot));
    }

    public static ClusterSnapshot readBaseline(Path file) {
        try {
            return PlanJson.mapper().readValue(Files.readString(file), ClusterSnapshot.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the report as JSON and as Markdown beside it. */
    public static void write(Path json, Path markdown, VerificationReport report) {
        write(json, PlanJson.write(report));
        write(markdown, ReportMarkdown.render(report));
    }

    /** Mode 0600: a baseline holds function bodies, a report the keys of differing rows. */
    private static void write(Path file, String text) {
        try {
            io.pgmigrate.core.PrivateFiles.writeAtomically(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
