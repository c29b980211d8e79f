package io.pgmigrate.execute;

import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One execution of a plan at a time: an OS file lock on {@code NAME.lock} beside the plan. The kernel
 * releases it when the process ends, however it ends, so a killed pgmigrate never leaves it stuck; the
 * file itself stays and only says which pid held it last.
 */
public final class ExecutionLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ExecutionLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static ExecutionLock acquire(Path file) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file).strip();
                ch.close();
                throw new PgMigrateException(ExitCode.BAD_INPUT, "this plan is being executed right now by "
                        + (holder.isEmpty() ? "another process" : "pid " + holder) + " (lock " + file
                        + "); wait for it to finish, or see where it stands with pgmigrate status");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return new ExecutionLock(ch, lock);
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, "cannot take the execution lock " + file + ": "
                    + e.getMessage() + "; the plan's directory must be writable");
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the process is ending or the lock is gone with the channel: nothing left to release
        }
    }
}
