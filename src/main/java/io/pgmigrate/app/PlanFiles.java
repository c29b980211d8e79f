package io.pgmigrate.app;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.core.PrivateFiles;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.PlanMarkdown;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a plan as {@code NAME.plan.json} and {@code NAME.plan.md}, each atomically (temp file + rename), mode 0600
 * in a directory only its owner can write ({@link PrivateFiles}).
 */
public final class PlanFiles {
    private PlanFiles() {
    }

    public record Written(Path json, Path markdown) {
    }

    public static Written write(Plan plan, Path dir) {
        createDirectory(dir);
        Path json = dir.resolve(plan.name() + ".plan.json");
        Path md = dir.resolve(plan.name() + ".plan.md");
        writeAtomically(json, PlanJson.write(plan));
        writeAtomically(md, PlanMarkdown.render(plan));
        return new Written(json, md);
    }

    /** Created mode 0700 when missing; an existing one that its group or others can write is refused. */
    private static void createDirectory(Path dir) {
        PrivateFiles.directory(dir, "the output directory", "choose another with --output (or chmod go-w it)");
    }

    /**
     * Writes the file (mode 0600) through a temporary one that is forced to disk and renamed over it; the directory is
     * forced too, so that after a crash the file is either the old one or the whole new one.
     */
    public static void writeAtomically(Path file, String content) {
        try {
            PrivateFiles.writeAtomically(file, content);
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
