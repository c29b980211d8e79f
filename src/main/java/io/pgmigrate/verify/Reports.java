package io.pgmigrate.verify;

import io.pgmigrate.plan.PlanJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

    private static void write(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
