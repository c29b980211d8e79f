package io.pgmigrate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the toolchain script put PostgreSQL 13/15/18 (and 17 when it could be built), sshd and pgbouncer:
 * from the environment (PGMIGRATE_PG15_BIN, …) or the script's env file ($PGMIGRATE_CACHE/toolchain.env).
 * 13, 15 and 18 are always there after scripts/toolchain.sh; a test that needs another version asks
 * {@link #has(int)} and is skipped without it.
 */
public final class Toolchain {
    private static final Map<String, String> FILE = readEnvFile();

    private Toolchain() {
    }

    private static Map<String, String> readEnvFile() {
        String cache = System.getenv().getOrDefault("PGMIGRATE_CACHE", "/var/cache/pgmigrate");
        Path file = Path.of(cache, "toolchain.env");
        Map<String, String> map = new HashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        map.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        return map;
    }

    private static String get(String key, String fallback) {
        String v = System.getenv(key);
        if (v != null && !v.isBlank()) {
            return v;
        }
        return FILE.getOrDefault(key, fallback);
    }

    private static Path configuredBinDir(int major) {
        return Path.of(get("PGMIGRATE_PG" + major + "_BIN", "/usr/lib/postgresql/" + major + "/bin"));
    }

    /**
     * The test hosts' image that scripts/test-hosts.sh built ({@code PGMIGRATE_HOST_IMAGE}), from the environment or
     * the toolchain's env file.
     */
    public static boolean hasHostImage() {
        return !get("PGMIGRATE_HOST_IMAGE", "").isBlank();
    }

    public static String hostImage() {
        String image = get("PGMIGRATE_HOST_IMAGE", "");
        if (image.isBlank()) {
            throw new IllegalStateException("no test host image: run scripts/test-hosts.sh (scripts/test.sh does)");
        }
        return image;
    }

    /** Whether PostgreSQL {@code major}'s binaries are where the toolchain says (17 may be missing). */
    public static boolean has(int major) {
        return Files.isExecutable(configuredBinDir(major).resolve("postgres"));
    }

    public static Path binDir(int major) {
        Path dir = configuredBinDir(major);
        if (!Files.isExecutable(dir.resolve("postgres"))) {
            throw new IllegalStateException("PostgreSQL " + major + " binaries not found in " + dir
                    + ": run scripts/toolchain.sh first (it builds 13 and 18, and 17 only when Debian's files"
                    + " for it can be fetched; a test needing 17 asks Toolchain.has(17))");
        }
        return dir;
    }

    public static Path sshd() {
        return Path.of(get("PGMIGRATE_SSHD", "/usr/sbin/sshd"));
    }

    public static Path pgbouncer() {
        return Path.of(get("PGMIGRATE_PGBOUNCER", "/usr/sbin/pgbouncer"));
    }
}
