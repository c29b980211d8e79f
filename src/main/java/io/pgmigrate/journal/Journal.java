package io.pgmigrate.journal;

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
 * The execution journal: typed events as JSON lines, appended and forced to disk before and after every step, so that
 * a crash of pgmigrate, of SSH or of this machine leaves a record that {@code execute} resumes from and {@code status}
 * reads. Every byte of a line is written before it is forced; a write that fails (a full disk) is cut off again, so
 * that the journal stays readable, and stops the execution with one line. A line torn by a crash mid-write (the last
 * one) is ignored when reading. The file is its owner's alone (mode 0600).
 */
public final class Journal implements AutoCloseable {
    /** Free space the journal's file system must have before an outage begins. */
    public static final long MIN_FREE_BYTES = 16L * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** A journal that could not be written: the event is not in it, and nothing after it may run. */
    public static final class WriteFailed extends PgMigrateException {
        public WriteFailed(String message) {
            super(ExitCode.STEP_FAILED, message);
        }
    }

    public static Journal open(Path file) {
        boolean created = !Files.exists(file);
        try {
            Journal j = new Journal(file, io.pgmigrate.core.PrivateFiles.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND));
            if (created) {
                syncDirectory(file);
            }
            return j;
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "cannot open the journal " + file + ": " + e.getMessage()
                    + "; the plan's directory must be writable");
        }
    }

    public Path file() {
        return file;
    }

    /** Appends the event and forces it to disk; throws {@link WriteFailed} when not every byte reached the disk. */
    public void append(JournalEvent event) {
        byte[] line;
        try {
            line = (PlanJson.mapper().writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a journal event", e);
        }
        long before = -1;
        try {
            before = channel.size();
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(true);
        } catch (IOException e) {
            String cut = before < 0 ? "" : cutBack(before);
            throw new WriteFailed("cannot write the journal " + file + " (" + e.getMessage() + ")" + cut
                    + "; stopped, since a step that is not journaled could not be resumed safely. Free space there and"
                    + " run the command again: it resumes from the journal");
        }
    }

    /** Cuts a partly written line off again; says so when that failed too. */
    private String cutBack(long size) {
        try {
            channel.truncate(size);
            channel.force(true);
            return "";
        } catch (IOException e) {
            return "; its last line may be torn (" + e.getMessage() + "), which reading it ignores";
        }
    }

    /** Bytes free for this process on the journal's file system. */
    public long freeBytes() {
        try {
            return Files.getFileStore(file).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // unknown: the writes themselves are checked
        }
    }

    /** Every event in the file, oldest first. */
    public List<JournalEvent> read() {
        return read(file);
    }

    public JournalState state() {
        return JournalState.of(read());
    }

    public static JournalState state(Path file) {
        return JournalState.of(read(file));
    }

    public static List<JournalEvent> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "cannot read the journal " + file + ": " + e.getMessage());
        }
        List<JournalEvent> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (i == 0 && line.contains("\"event\":\"EXECUTION_STARTED\"")) {
                throw new PgMigrateException(ExitCode.BAD_INPUT, file + " was written by an earlier pgmigrate (journal"
                        + " format 1); finish that execution with the pgmigrate that began it, or move the journal"
                        + " aside to start afresh");
            }
            try {
                out.add(PlanJson.mapper().readValue(line, JournalEvent.class));
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    break; // torn by a crash while it was written
                }
                throw new PgMigrateException(ExitCode.BAD_INPUT, file + ":" + (i + 1) + ": not a journal event ("
                        + e.getOriginalMessage() + "); the journal was edited or damaged");
            }
        }
        return out;
    }

    /** Makes a new directory entry (a created or renamed file) durable: the directory itself is forced to disk. */
    public static void syncDirectory(Path file) {
        io.pgmigrate.core.PrivateFiles.syncDirectory(file);
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
