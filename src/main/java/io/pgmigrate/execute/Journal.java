package io.pgmigrate.execute;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;
import io.pgmigrate.plan.PlanJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The execution journal: JSON lines appended and forced to disk before and after every step, so that
 * a crash of pgmigrate, of SSH or of this machine leaves a record that {@code execute} resumes from and
 * {@code status} reads. A line torn by a crash mid-write (the last one) is ignored when reading.
 */
public final class Journal implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    public static Journal open(Path file) {
        try {
            return new Journal(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "cannot open the journal " + file + ": " + e.getMessage()
                    + "; the plan's directory must be writable");
        }
    }

    public Path file() {
        return file;
    }

    public void append(JournalEntry entry) {
        try {
            String line = PlanJson.mapper().writeValueAsString(entry) + "\n";
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.STEP_FAILED, "cannot write the journal " + file + ": " + e.getMessage()
                    + "; stopping, since a step that is not journaled could not be resumed safely");
        }
    }

    public static List<JournalEntry> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "cannot read the journal " + file + ": " + e.getMessage());
        }
        List<JournalEntry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(PlanJson.mapper().readValue(line, JournalEntry.class));
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    break; // torn by a crash while it was written
                }
                throw new PgMigrateException(ExitCode.BAD_INPUT, file + ":" + (i + 1) + ": not a journal entry ("
                        + e.getOriginalMessage() + "); the journal was edited or damaged");
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // everything written was forced already
        }
    }
}
