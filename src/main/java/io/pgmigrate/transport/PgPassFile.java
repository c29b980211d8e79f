package io.pgmigrate.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The password file pgmigrate's SQL sessions read passwords from ({@code PGPASSFILE}, else {@code ~/.pgpass}), refused
 * when group or others have any access to it. libpq ignores such a file (with a warning) and pgjdbc reads it without
 * looking: a password readable by other users of the controller is a password given away, so pgmigrate stops before
 * it connects, in one line that names the file and the fix. A file that does not exist is fine (PGPASSWORD, trust, a
 * certificate).
 */
public final class PgPassFile {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PgPassFile() {
    }

    /** Refuses this process's password file when it is open to group or others. */
    public static void requirePrivate() {
        requirePrivate(System.getenv(), System.getProperty("user.home"));
    }

    /** The file pgjdbc reads: PGPASSFILE, else .pgpass in the home directory; null when neither is known. */
    static Path location(Map<String, String> env, String home) {
        String given = env.get("PGPASSFILE");
        if (given != null && !given.isEmpty()) {
            return Path.of(given);
        }
        return home == null || home.isEmpty() ? null : Path.of(home, ".pgpass");
    }

    static void requirePrivate(Map<String, String> env, String home) {
        Path file = location(env, home);
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return; // unreadable or not POSIX: pgjdbc cannot use it either way
        }
        Set<PosixFilePermission> loose = EnumSet.copyOf(GROUP_OR_OTHERS);
        loose.retainAll(perms);
        if (!loose.isEmpty()) {
            String which = env.containsKey("PGPASSFILE") && !env.get("PGPASSFILE").isEmpty() ? "PGPASSFILE " : "";
            throw new TransportException(which + file + " has mode " + mode(perms) + ": group or others can read or"
                    + " change the passwords in it (libpq ignores such a file); make it private: chmod 0600 " + file);
        }
    }

    private static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", m);
    }
}
