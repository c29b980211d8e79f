package io.pgmigrate.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * What pgmigrate writes on this machine (plans, journals, facts, baselines with function bodies, reports with the keys
 * of differing rows, the fenced-roles file, the demo's inventory) is readable by its owner only: files mode 0600, in
 * directories pgmigrate creates mode 0700. An existing directory that its group or others can write is refused in one
 * line: whoever can write there could replace a journal or a plan's neighbours. On a file system without POSIX
 * permissions, the modes are left to it.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /**
     * The directory, created mode 0700 (with its missing parents) when missing; an existing one writable by its group
     * or others is refused ({@link ExitCode#BAD_INPUT}; {@code hint} says what to do, e.g. "choose another with -o").
     */
    public static void directory(Path dir, String what, String hint) {
        if (!Files.exists(dir)) {
            try {
                createPrivate(dir.toAbsolutePath());
            } catch (IOException e) {
                throw PgMigrateException.badInput("cannot create " + what + " " + dir + ": " + e.getMessage()
                        + "; " + hint);
            }
        }
        refuseShared(dir, what, hint);
    }

    private static void createPrivate(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.exists(parent)) {
            createPrivate(parent);
        }
        try {
            Files.createDirectory(dir, attribute(DIRECTORY));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        }
    }

    /** Refuses an existing directory its group or others can write (one line naming it and what to do). */
    public static void refuseShared(Path dir, String what, String hint) {
        Set<PosixFilePermission> p;
        try {
            p = Files.getPosixFilePermissions(dir);
        } catch (UnsupportedOperationException | IOException e) {
            return;
        }
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw PgMigrateException.badInput(what + " " + dir + " is writable by " + (p.contains(
                    PosixFilePermission.OTHERS_WRITE) ? "every user" : "its group") + " (mode "
                    + PosixFilePermissions.toString(p) + "): pgmigrate keeps plans, journals and reports only where no"
                    + " one else can replace them; " + hint);
        }
    }

    /**
     * Writes the file (mode 0600) through a temporary one beside it that is forced to disk and renamed over it; the
     * directory is forced too, so that after a crash the file is either the old one or the whole new one.
     */
    public static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp); // a leftover of a crash, maybe of another mode: never written into
            try (FileChannel ch = open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
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
            syncDirectory(file);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the caller says what failed
            }
            throw e;
        }
    }

    /**
     * Opens the file with these options; created, it has mode 0600; an existing one of pgmigrate's that is looser
     * (written before files were kept private) is made 0600.
     */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, Set.of(options), attribute(FILE));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, options);
        }
        try {
            if (!Files.getPosixFilePermissions(file).equals(FILE)) {
                Files.setPosixFilePermissions(file, FILE);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // the file is open; its mode is the file system's business
        }
        return ch;
    }

    /** Makes a new directory entry (a created or renamed file) durable: the directory itself is forced to disk. */
    public static void syncDirectory(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot force a directory; the file's own contents were forced
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> p) {
        return PosixFilePermissions.asFileAttribute(p);
    }
}
