package io.pgmigrate.app;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.PlanMarkdown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a plan as {@code NAME.plan.json} and {@code NAME.plan.md}, each atomically (temp file + rename).
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

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "cannot create the output directory " + dir + ": "
                    + e.getMessage() + "; choose another with --output");
        }
    }

    /**
     * Writes the file through a temporary one that is forced to disk and renamed over it; the directory is forced too,
     * so that after a crash the file is either the old one or the whole new one.
     */
    public static void writeAtomically(Path file, String content) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            io.pgmigrate.journal.Journal.syncDirectory(file);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the message below says what failed
            }
            throw new PgMigrateException(ExitCode.BAD_INPUT, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
